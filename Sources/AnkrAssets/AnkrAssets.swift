/// Tokenised off-chain assets (the white paper's asset API, its "S3 analogy"): the Assets system
/// contract at `0x…a0005` and the REST API the node serves under `/v1/assets`.
