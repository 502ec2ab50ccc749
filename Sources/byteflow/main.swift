import ByteFlow
