namespace AuthServer.Registry.Auth;

/// <summary>
/// The three parts of a compact JWS, decoded but not trusted. The signature covers the first two
/// parts exactly as received (2.8 token.go <c>NewToken</c>; go-jose <c>parseSignedCompact</c>).
/// </summary>
public sealed record CompactJws(string SigningInput, byte[] Header, byte[] Payload, byte[] Signature)
{
    public static CompactJws Parse(string raw, VerificationMode mode)
    {
        var parts = raw.Split('.');
        if (parts.Length != 3) throw Malformed($"token has {parts.Length} dot-separated parts, not 3");
        return new CompactJws(
            parts[0] + "." + parts[1],
            Base64UrlDecode(parts[0], "header", mode),
            Base64UrlDecode(parts[1], "claims", mode),
            Base64UrlDecode(parts[2], "signature", mode));
    }

    /// <summary>
    /// 2.8 re-adds missing padding and refuses a length of 1 mod 4 (util.go
    /// <c>joseBase64UrlDecode</c>); go-jose v4 decodes with <c>base64.RawURLEncoding</c>, so in
    /// 3.x any '=' makes the token malformed (jws.go <c>parseSignedCompact</c>).
    /// </summary>
    private static byte[] Base64UrlDecode(string part, string what, VerificationMode mode)
    {
        if (mode == VerificationMode.Distribution3 && part.Contains('='))
            throw Malformed($"unable to decode {what}: padding in unpadded base64url");
        var text = part.TrimEnd('=');
        if (text.Length % 4 == 1) throw Malformed($"unable to decode {what}: illegal base64url length");
        foreach (var c in text)
        {
            if (!(c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_'))
                throw Malformed($"unable to decode {what}: illegal base64url character");
        }
        var standard = text.Replace('-', '+').Replace('_', '/');
        standard += new string('=', (4 - standard.Length % 4) % 4);
        return Convert.FromBase64String(standard);
    }

    private static TokenRejectedException Malformed(string reason) => new(AuthFailure.MalformedToken, reason);
}
