/// A deterministic Aho–Corasick automaton for several byte patterns with
/// *leftmost-first* match semantics: among the matches that start leftmost,
/// the one of the earliest-listed pattern wins.
///
/// ## How leftmost-first is built into the automaton
///
/// The construction follows the one BurntSushi's `aho-corasick` crate
/// documents for its leftmost automata, written anew here:
///
/// - **Trie with pruning.** Patterns are added in order. A pattern whose path
///   passes through a node where an earlier pattern ends can never win (the
///   earlier one matches at the same start and is preferred), so it is not
///   added at all; a duplicate ends on a node that already has a pattern and
///   is dropped the same way. After this, every node below a match node
///   belongs to an earlier pattern, so "go deeper while you can" is exactly
///   "prefer the earlier pattern".
/// - **Failure links stop below a pattern's end.** Failure links are the
///   usual ones (longest proper suffix that is a trie node), except that a
///   node where a pattern ends, and every node below it, fails to the *dead*
///   state: a match is known at this path's start, and a suffix (a later
///   start) must never replace it. A node whose suffix is a match state
///   inherits that match (a later start, reported if the path from the
///   earlier start dies); its own failure link stays, because a still
///   earlier start than that inherited match may yet complete (`abca` with
///   `bca` and `c`: the `c` seen after `abc` loses to `bca`).
/// - **Search.** Run from the start state, remember the last match state
///   passed (its pattern and end), stop at the dead state: the remembered
///   match is the leftmost-first one. Resume after its end (below).
///
/// ## Restarting without re-reading
///
/// A search dies one byte after a state q whose path is a pattern P followed
/// by more bytes S(q) of a longer, earlier-listed pattern; P wins and the
/// search resumes at its end. Starting over from the start state there
/// re-reads S(q), up to *m* − 1 bytes for a longest pattern of *m*: with
/// `a^31 b` listed before `a` over a run of `a`, 32 reads per byte. S(q)
/// depends on q alone, so the set-up runs that fresh search over S(q) once
/// per state and stores
/// its outcome: the matches it decides on the way (S(q) can hold a whole
/// match and its death: `abcdeW`, `ab`, `cdz`, `cd` over `abcdeQ` replaces
/// `ab` and then `cd`), the state it ends in and the match it remembers.
/// The search then writes those matches, takes that state and reads the
/// byte that killed q again: every byte is read once, plus once more per
/// match, so a chunk costs O(*n*). Simply following failure links from q
/// down to depth |S(q)| is *not* enough: it finds the state but misses
/// matches decided inside S(q) (here `cd`, as `cde` is in no pattern).
/// 16 MiB of `a` with `a^31 b`, `a`: 0.70 s before, 0.14–0.18 s now
/// (`Documentation/Benchmarks.md`). The set-up's simulation is capped at
/// 64 × states + 4,096 steps in all; a list of long self-overlapping
/// patterns beyond that budget keeps the re-reading restart for its
/// remaining states, whose bound is O(*n* × *m* / *s*) for a
/// shortest pattern of *s* bytes (each re-read is ≤ *m* − *s* bytes and
/// follows a match of ≥ *s* bytes).
///
/// ## Why a dense table over byte classes
///
/// Bytes that occur in no pattern all behave alike, so the table has one
/// column per distinct (folded) pattern byte plus one for the rest: for 100
/// English words that is ~30 columns, ~1,000 states, ~120 KiB of `UInt32`,
/// which stays in L2. One transition is two dependent loads (class, then
/// next state) and no branch but the "special state" compare. States are
/// numbered dead, match states, start, others, and pre-multiplied by the
/// column count, so that "is this state special" is one compare of the id
/// against the largest match id and the next state is `table[state + class]`.
/// The loop is then bound by the latency of that dependent load: `perf`
/// shows 87% of its samples on the compare waiting for it, ~0.4 GB/s on
/// 64 MiB of text with 10 patterns. That is why a prefilter skips the text
/// in front of it whenever there are few enough patterns
/// (`PairPrefilter.swift`), and why it is still 7–12× faster than Perl's and
/// Python's regex engines at 100 patterns (`Documentation/Peers.md`).
///
/// ## Case-insensitive matching
///
/// ASCII letters are folded before the trie is built and the two cases of a
/// letter share a byte class: the automaton then ignores ASCII case at no cost
/// per byte. Other bytes (including every byte of a multi-byte UTF-8
/// sequence) keep their own class and compare exactly.
@frozen
@usableFromInline
internal struct _MultiPatternAutomaton: Sendable {
    /// Byte → column, 256 entries.
    @usableFromInline let classes: [UInt8]
    /// Transitions: `table[state + column]` is the next (pre-multiplied) state.
    @usableFromInline let table: [UInt32]
    /// Columns per state: the multiplier of state ids.
    @usableFromInline let stride: Int
    /// `stride` is `1 << shift`.
    @usableFromInline let shift: Int
    /// The start state's id.
    @usableFromInline let start: UInt32
    /// The largest id of a match state; ids `1...maxMatch` are match states
    /// and `0` is the dead state.
    @usableFromInline let maxMatch: UInt32
    /// Per state (by index, id >> shift): the pattern reported when the
    /// search stops after this state, or -1.
    @usableFromInline let matchPattern: [Int32]
    /// Per state: the length of the trie path the state stands for. The bytes
    /// of that path are the only ones a search holds undecided.
    @usableFromInline let depth: [Int32]
    /// Per state: whether every transition leads to the dead state (a match
    /// that nothing can extend), so that it can be decided without another
    /// byte.
    @usableFromInline let terminal: [Bool]
    /// For each pattern, whether it can ever be reported (not a duplicate,
    /// not shadowed by an earlier pattern that is its prefix).
    @usableFromInline let live: [Bool]
    /// Per state (by index) where the search can die: the state a search
    /// started fresh after this state's match would be in once it has read
    /// the bytes of the state's path behind that match, or `UInt32.max`
    /// when that was not precomputed (the search then re-reads the bytes).
    /// See "Restarting without re-reading" above.
    @usableFromInline let restartState: [UInt32]
    /// Per state: the match that fresh search remembers but has not decided
    /// (pattern, or -1), and its end, counted from the restart point.
    @usableFromInline let restartPending: [Int32]
    @usableFromInline let restartPendingEnd: [Int32]
    /// Per state: `restartBounds[i]..<restartBounds[i + 1]` indexes the
    /// matches that fresh search decides on the way, in order
    /// (`restartPatterns`, and `restartEnds` counted from the restart point).
    @usableFromInline let restartBounds: [Int32]
    @usableFromInline let restartPatterns: [Int32]
    @usableFromInline let restartEnds: [Int32]

    /// The dead state's id.
    @usableFromInline static var dead: UInt32 { 0 }

    /// Builds the automaton for `patterns`, none of which is empty.
    ///
    /// - Complexity: O(*L* × *k*) time and memory, for *L* the total pattern
    ///   length and *k* the number of distinct pattern bytes.
    @usableFromInline
    init(patterns: [[UInt8]], ignoringCase: Bool) {
        func fold(_ byte: UInt8) -> UInt8 {
            ignoringCase && byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
        }
        // Columns: 0 for bytes in no pattern, then one per distinct folded byte.
        var classes = [UInt8](repeating: 0, count: 256)
        var columnOf = [Int](repeating: 0, count: 256)
        var columns = 1
        for pattern in patterns {
            for byte in pattern where columnOf[Int(fold(byte))] == 0 {
                columnOf[Int(fold(byte))] = columns
                columns += 1
            }
        }
        for byte in 0..<256 {
            classes[byte] = UInt8(truncatingIfNeeded: columnOf[Int(fold(UInt8(byte)))])
        }
        // Every byte value occurs in some pattern (possible only without case
        // folding): column 0 is unused, so shift the columns down to fit 256.
        if columns > 256 {
            for byte in 0..<256 { classes[byte] = UInt8(columnOf[Int(fold(UInt8(byte)))] - 1) }
        }
        // Rows are a power of two long, so that a state's index is its id
        // shifted: a division per match state cost 11% of the time on
        // dense input (64 MiB, `elvis` ignoring case).
        let shift = Int.bitWidth - (min(columns, 256) - 1).leadingZeroBitCount
        let stride = 1 << shift
        let column = { (byte: UInt8) -> Int in Int(classes[Int(byte)]) }

        // The trie, densely: node 0 dead, node 1 root. -1 means no edge.
        var trie = [Int32](repeating: -1, count: 2 * stride)
        var own = [Int32](repeating: -1, count: 2)
        var depth: [Int32] = [0, 0]
        var parent: [Int] = [0, 0]
        var edgeColumn: [Int] = [0, 0]
        var live = [Bool](repeating: false, count: patterns.count)
        for (index, pattern) in patterns.enumerated() {
            var node = 1
            var shadowed = false
            for byte in pattern {
                if own[node] >= 0 {
                    shadowed = true
                    break
                }
                let edge = node * stride + column(byte)
                if trie[edge] < 0 {
                    trie[edge] = Int32(own.count)
                    trie += repeatElement(-1, count: stride)
                    own.append(-1)
                    depth.append(depth[node] + 1)
                    parent.append(node)
                    edgeColumn.append(column(byte))
                }
                node = Int(trie[edge])
            }
            if !shadowed && own[node] < 0 {
                own[node] = Int32(index)
                live[index] = true
            }
        }
        let count = own.count

        // Failure links and the full transition function, breadth first.
        // `decided[node]`: a pattern ends at this node or at one of its
        // ancestors, so a match at this path's start is already known and no
        // failure link may leave it (the crate's "match at depth" rule,
        // which for leftmost-first always finds the match at depth 1).
        var delta = [Int32](repeating: 0, count: count * stride)
        var first = own  // the match reported after each state
        var fail = [Int](repeating: 0, count: count)
        var decided = own.map { $0 >= 0 }
        var queue: [Int] = []
        queue.reserveCapacity(count)
        for c in 0..<stride {
            let child = Int(trie[stride + c])
            if child >= 0 {
                fail[child] = decided[child] ? 0 : 1
                delta[stride + c] = Int32(child)
                queue.append(child)
            } else {
                delta[stride + c] = 1
            }
        }
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            for c in 0..<stride {
                let child = Int(trie[node * stride + c])
                if child >= 0 {
                    if decided[node] || decided[child] {
                        decided[child] = true
                        fail[child] = 0
                    } else {
                        // A later start may still win: keep the suffix, and
                        // report its match if the path dies here.
                        let f = Int(delta[fail[node] * stride + c])
                        fail[child] = f
                        if first[child] < 0 { first[child] = first[f] }
                    }
                    delta[node * stride + c] = Int32(child)
                    queue.append(child)
                } else {
                    delta[node * stride + c] = delta[fail[node] * stride + c]
                }
            }
        }
        // The dead state's row is all zeros already.

        // Renumber: dead, match states, start, the rest.
        var order: [Int] = [0]
        for node in 2..<count where first[node] >= 0 { order.append(node) }
        let matchCount = order.count - 1
        order.append(1)
        for node in 2..<count where first[node] < 0 { order.append(node) }
        var newIndex = [Int](repeating: 0, count: count)
        for (new, old) in order.enumerated() { newIndex[old] = new }
        var table = [UInt32](repeating: 0, count: count * stride)
        var matchPattern = [Int32](repeating: -1, count: count)
        var newDepth = [Int32](repeating: 0, count: count)
        var terminal = [Bool](repeating: false, count: count)
        for (new, old) in order.enumerated() {
            var allDead = true
            for c in 0..<stride {
                let target = newIndex[Int(delta[old * stride + c])]
                table[new * stride + c] = UInt32(target * stride)
                if target != 0 { allDead = false }
            }
            matchPattern[new] = first[old]
            newDepth[new] = depth[old]
            terminal[new] = allDead && first[old] >= 0
        }
        // Restarts. A search dies only from a "decided" state q: its path is
        // the winning pattern (ending at q's deepest pattern-owning ancestor)
        // followed by bytes S(q) that are fixed by q alone. A fresh search
        // from the match's end re-reads exactly S(q) before the byte that
        // killed q, so its outcome (matches it decides, its state, the match
        // it remembers) is a function of q: simulate it once here.
        var ownerDepth = [Int32](repeating: -1, count: count)
        for node in queue where own[node] >= 0 || ownerDepth[parent[node]] >= 0 {
            ownerDepth[node] = own[node] >= 0 ? depth[node] : ownerDepth[parent[node]]
        }
        var restartState = [UInt32](repeating: UInt32.max, count: count)
        var restartPending = [Int32](repeating: -1, count: count)
        var restartPendingEnd = [Int32](repeating: 0, count: count)
        var restartBounds = [Int32](repeating: 0, count: count + 1)
        var restartPatterns: [Int32] = []
        var restartEnds: [Int32] = []
        // Bounds the set-up work and memory: beyond it, states keep the
        // re-reading restart (pathological lists of long self-overlapping
        // patterns only; 100 English words use ~2,000 steps).
        var budget = 64 * count + 4096
        var path: [Int] = []
        let startId = UInt32((matchCount + 1) * stride)
        for (new, old) in order.enumerated() {
            restartBounds[new] = Int32(restartPatterns.count)
            guard old >= 2 && ownerDepth[old] >= 0 && !terminal[new] && budget > 0 else { continue }
            path.removeAll(keepingCapacity: true)
            var node = old
            while depth[node] > ownerDepth[old] {
                path.append(edgeColumn[node])
                node = parent[node]
            }
            path.reverse()
            var state = startId
            var matched: Int32 = -1
            var matchEnd = 0
            var i = 0
            var simulated = true
            while i < path.count {
                budget -= 1
                state = table[Int(state) + path[i]]
                i += 1
                if state > UInt32(matchCount * stride) || state == startId { continue }
                if state != 0 {
                    let index = Int(state) >> shift
                    matched = matchPattern[index]
                    matchEnd = i
                    guard terminal[index] else { continue }
                }
                guard matched >= 0 else {
                    simulated = false
                    break
                }
                restartPatterns.append(matched)
                restartEnds.append(Int32(matchEnd))
                i = matchEnd
                state = startId
                matched = -1
            }
            guard simulated else { continue }
            restartState[new] = state
            restartPending[new] = matched
            restartPendingEnd[new] = Int32(matchEnd)
        }
        restartBounds[count] = Int32(restartPatterns.count)
        self.restartState = restartState
        self.restartPending = restartPending
        self.restartPendingEnd = restartPendingEnd
        self.restartBounds = restartBounds
        self.restartPatterns = restartPatterns
        self.restartEnds = restartEnds
        self.classes = classes
        self.table = table
        self.stride = stride
        self.shift = shift
        self.start = UInt32((matchCount + 1) * stride)
        self.maxMatch = UInt32(matchCount * stride)
        self.matchPattern = matchPattern
        self.depth = newDepth
        self.terminal = terminal
        self.live = live
    }
}
