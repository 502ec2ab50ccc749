extension Chain {
    /// Whether either stage can finish early: a chain is finished when either
    /// of its stages is (see ``isFinished`` and ``ByteTransform/canFinishEarly``).
    @inlinable
    public static var canFinishEarly: Bool { First.canFinishEarly || Second.canFinishEarly }
}
