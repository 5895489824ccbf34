/// Smart identities and credit records (the white paper's section 5): the Identity system contract at
/// `0x…a0004` and the client side of its sealed claims (ECIES payloads for permitted readers).
