import ByteFlowCLI

// byteflow: a command-line front end to the ByteFlow library. Its logic is in
// the ByteFlowCLI library target (Sources/ByteFlowCLI), tested in process.
ByteflowTool.main()
