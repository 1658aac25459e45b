using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace AuthServer.Tests.Infrastructure;

/// <summary>
/// Compact JWS built by hand, for the tokens no honest token server issues: other algorithms,
/// other keys, other claims, or a real token with its claims changed after signing.
/// </summary>
public static class TokenForge
{
    public static JsonObject Header(string alg, string? kid = null, params string[] x5c)
    {
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = alg };
        if (kid is not null) header["kid"] = kid;
        if (x5c.Length > 0) header["x5c"] = new JsonArray(x5c.Select(c => (JsonNode)c).ToArray());
        return header;
    }

    /// <summary>Claims as our server writes them; <paramref name="access"/> as "type:name:a,b".</summary>
    public static JsonObject Claims(string issuer, string audience, TimeSpan lifetime, params string[] access)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new JsonObject
        {
            ["iss"] = issuer,
            ["sub"] = "forger",
            ["aud"] = audience,
            ["exp"] = now + (long)lifetime.TotalSeconds,
            ["nbf"] = now - 5,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = new JsonArray(access.Select(Entry).ToArray()),
        };
    }

    public static string Es256(JsonObject header, JsonObject claims, ECDsa key, DSASignatureFormat format = DSASignatureFormat.IeeeP1363FixedFieldConcatenation) =>
        Sign(header, claims, input => key.SignData(input, HashAlgorithmName.SHA256, format));

    public static string Hs256(JsonObject header, JsonObject claims, byte[] secret) =>
        Sign(header, claims, input => HMACSHA256.HashData(secret, input));

    /// <summary><c>alg: none</c>: header, claims and an empty signature.</summary>
    public static string Unsigned(JsonObject header, JsonObject claims) => Sign(header, claims, _ => []);

    public static string Sign(JsonObject header, JsonObject claims, Func<byte[], byte[]> sign) =>
        SignText(header.ToJsonString(), claims.ToJsonString(), sign);

    /// <summary>Header and claims as exact JSON text (duplicate keys, odd names), optionally with base64 padding kept.</summary>
    public static string SignText(string header, string claims, Func<byte[], byte[]> sign, bool padded = false)
    {
        string Part(byte[] bytes) => padded ? Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_') : Base64Url.EncodeToString(bytes);
        var input = $"{Part(Encoding.UTF8.GetBytes(header))}.{Part(Encoding.UTF8.GetBytes(claims))}";
        return $"{input}.{Part(sign(Encoding.ASCII.GetBytes(input)))}";
    }

    public static Func<byte[], byte[]> Es256Signer(ECDsa key) =>
        input => key.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <summary>A real token with its claims changed and its header and signature kept.</summary>
    public static string Tamper(string jwt, Action<JsonObject> change)
    {
        var parts = jwt.Split('.');
        var claims = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        change(claims);
        return $"{parts[0]}.{Encode(claims.ToJsonString())}.{parts[2]}";
    }

    public static JsonObject HeaderOf(string jwt) => JsonNode.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[0]))!.AsObject();

    public static JsonObject ClaimsOf(string jwt) => JsonNode.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[1]))!.AsObject();

    private static JsonNode Entry(string scope)
    {
        var first = scope.IndexOf(':');
        var last = scope.LastIndexOf(':');
        return new JsonObject
        {
            ["type"] = scope[..first],
            ["name"] = scope[(first + 1)..last],
            ["actions"] = new JsonArray(scope[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(a => (JsonNode)a).ToArray()),
        };
    }

    private static string Encode(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
