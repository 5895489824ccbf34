extension Duration {
    /// The duration in seconds, as a Double (for statistics and benchmark reports).
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
