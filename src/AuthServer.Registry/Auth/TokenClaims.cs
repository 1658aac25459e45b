using System.Text.Json;

namespace AuthServer.Registry.Auth;

/// <summary>
/// The claim set, typed as distribution's <c>ClaimSet</c>: iss, sub, jti strings; exp, nbf, iat
/// int64 (missing = 0); aud one string in 2.8 (<c>Audience string</c>, token.go:47), a string or an
/// array of strings in 3.x (<c>AudienceList</c>, types.go); access entries of type, class, name, actions.
/// </summary>
public sealed record TokenClaims(
    string Issuer, string Subject, IReadOnlyList<string> Audience, long Expiration, long NotBefore, AccessSet Access)
{
    /// <exception cref="FormatException">a claim does not decode into distribution's types.</exception>
    public static TokenClaims Read(ReadOnlySpan<byte> json, VerificationMode mode)
    {
        var fields = JsonFields.Parse(json, mode);
        fields.Int64("iat");
        fields.String("jti");
        return new TokenClaims(
            fields.String("iss") ?? "",
            fields.String("sub") ?? "",
            ReadAudience(fields, mode),
            fields.Int64("exp") ?? 0,
            fields.Int64("nbf") ?? 0,
            ReadAccess(fields.Raw("access"), mode));
    }

    private static string[] ReadAudience(JsonFields fields, VerificationMode mode)
    {
        if (mode == VerificationMode.Distribution28 || fields.Raw("aud") is not { ValueKind: JsonValueKind.Array })
            return [fields.String("aud") ?? ""];
        return fields.StringArray("aud")!;
    }

    private static AccessSet ReadAccess(JsonElement? access, VerificationMode mode)
    {
        var set = new AccessSet();
        if (access is null) return set;
        if (access.Value.ValueKind != JsonValueKind.Array) throw new FormatException("\"access\" is not an array");
        foreach (var entry in access.Value.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Null) continue;
            var fields = JsonFields.FromElement(entry, mode);
            var type = fields.String("type") ?? "";
            var name = fields.String("name") ?? "";
            // The class is decoded (so a wrong type fails) but plays no part in matching.
            fields.String("class");
            foreach (var action in fields.StringArray("actions") ?? []) set.Add(type, name, action);
        }
        return set;
    }
}
