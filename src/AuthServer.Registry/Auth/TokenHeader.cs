using System.Text.Json;

namespace AuthServer.Registry.Auth;

/// <summary>The JOSE header members distribution reads (2.8 token.go <c>Header</c>; go-jose <c>rawHeader</c>).</summary>
public sealed record TokenHeader(string Alg, string? Kid, string[]? X5c, JsonElement? Jwk)
{
    public static TokenHeader Read(ReadOnlySpan<byte> json, VerificationMode mode)
    {
        try
        {
            var fields = JsonFields.Parse(json, mode);
            // typ is parsed but never checked by either version.
            fields.String("typ");
            var jwk = fields.Raw("jwk");
            if (jwk is { ValueKind: not JsonValueKind.Object } && mode == VerificationMode.Distribution3)
                throw new FormatException("\"jwk\" is not a JSON object");
            return new TokenHeader(fields.String("alg") ?? "", NullIfEmpty(fields.String("kid")), fields.StringArray("x5c"), jwk);
        }
        catch (FormatException e)
        {
            throw new TokenRejectedException(AuthFailure.MalformedToken, $"unable to read the token header: {e.Message}");
        }
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
