using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace AuthServer.Tests.Infrastructure;

/// <summary>
/// Reads a compact JWS the way distribution does, without the server's own token code: split,
/// base64url-decode, and verify the raw r||s ES256 (or RS256) signature with the x5c certificate.
/// </summary>
public sealed class Jwt
{
    private Jwt(string raw, JsonElement header, JsonElement payload, byte[] signature)
    {
        Raw = raw;
        Header = header;
        Payload = payload;
        Signature = signature;
    }

    public string Raw { get; }
    public JsonElement Header { get; }
    public JsonElement Payload { get; }
    public byte[] Signature { get; }

    public static Jwt Parse(string raw)
    {
        var parts = raw.Split('.');
        Assert.Equal(3, parts.Length);
        return new Jwt(raw, Json(parts[0]), Json(parts[1]), Base64Url.DecodeFromChars(parts[2]));
    }

    public X509Certificate2 Certificate =>
        X509CertificateLoader.LoadCertificate(Convert.FromBase64String(Header.GetProperty("x5c")[0].GetString()!));

    public bool VerifiesWith(X509Certificate2 certificate)
    {
        var signed = Encoding.ASCII.GetBytes(Raw[..Raw.LastIndexOf('.')]);
        using var ec = certificate.GetECDsaPublicKey();
        if (ec is not null) return ec.VerifyData(signed, Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        using var rsa = certificate.GetRSAPublicKey()!;
        return rsa.VerifyData(signed, Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <summary>The access claim as (type, name, actions) triples.</summary>
    public IReadOnlyList<(string Type, string Name, string[] Actions)> Access =>
        Payload.GetProperty("access").EnumerateArray()
            .Select(a => (a.GetProperty("type").GetString()!, a.GetProperty("name").GetString()!,
                a.GetProperty("actions").EnumerateArray().Select(x => x.GetString()!).ToArray()))
            .ToArray();

    public string[] ActionsFor(string type, string name) =>
        Access.Where(a => a.Type == type && a.Name == name).Select(a => a.Actions).SingleOrDefault()
        ?? throw new Xunit.Sdk.XunitException($"no access entry for {type}:{name}");

    private static JsonElement Json(string part) => JsonDocument.Parse(Base64Url.DecodeFromChars(part)).RootElement.Clone();
}
