// Peer for compare.sh: replace every FIND with REPLACEMENT, reading 64 KiB
// chunks and searching them with bytes.Index (leftmost, non-overlapping).
// usage: go run replace.go FIND REPLACEMENT FILE > OUTPUT
package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
)

func main() {
	find, repl := []byte(os.Args[1]), []byte(os.Args[2])
	in, err := os.Open(os.Args[3])
	if err != nil {
		panic(err)
	}
	out := bufio.NewWriterSize(os.Stdout, 64<<10)
	defer out.Flush()
	m := len(find)
	buf := make([]byte, 64<<10+m)
	kept := 0
	for {
		n, err := in.Read(buf[kept:])
		data := buf[:kept+n]
		eof := err == io.EOF
		if err != nil && !eof {
			panic(err)
		}
		for {
			i := bytes.Index(data, find)
			if i < 0 {
				break
			}
			out.Write(data[:i])
			out.Write(repl)
			data = data[i+m:]
		}
		keep := 0
		if !eof {
			keep = m - 1
			if len(data) < keep {
				keep = len(data)
			}
		}
		out.Write(data[:len(data)-keep])
		kept = copy(buf, data[len(data)-keep:])
		if eof {
			break
		}
	}
}
