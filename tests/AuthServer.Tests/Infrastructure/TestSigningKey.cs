using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using AuthServer.Core.Signing;

namespace AuthServer.Tests.Infrastructure;

/// <summary>
/// A P-256 key with a certificate, for tokens the tests sign themselves: trusted when its
/// certificate is in the registry's bundle, unknown otherwise.
/// </summary>
public sealed class TestSigningKey : IDisposable
{
    private TestSigningKey(ECDsa key, X509Certificate2 certificate)
    {
        Key = key;
        Certificate = certificate;
    }

    public ECDsa Key { get; }
    public X509Certificate2 Certificate { get; }

    /// <summary>The 2.8 kid, computed by the token server's implementation (checked against the spec's worked example).</summary>
    public string LibtrustKid => LibtrustKeyId.FromKey(Key);

    /// <summary>RFC 7638 with fixed-length coordinates; <see cref="Create"/> avoids keys where distribution's value differs.</summary>
    public string Thumbprint
    {
        get
        {
            var p = Key.ExportParameters(false);
            var json = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{Base64Url.EncodeToString(p.Q.X)}\",\"y\":\"{Base64Url.EncodeToString(p.Q.Y)}\"}}";
            return Base64Url.EncodeToString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(json)));
        }
    }

    public string X5c => Convert.ToBase64String(Certificate.RawData);

    public string CertificatePem => Certificate.ExportCertificatePem() + "\n";

    public JsonObject Jwk(string kid)
    {
        var p = Key.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["kid"] = kid,
            ["alg"] = "ES256",
            ["x"] = Base64Url.EncodeToString(p.Q.X),
            ["y"] = Base64Url.EncodeToString(p.Q.Y),
        };
    }

    /// <summary>A self-signed key, or one issued by <paramref name="issuer"/>; no coordinate starts with a zero byte.</summary>
    public static TestSigningKey Create(string name, TestSigningKey? issuer = null, bool isCa = false,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        while (key.ExportParameters(false) is var p && (p.Q.X![0] == 0 || p.Q.Y![0] == 0))
        {
            key.Dispose();
            key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        }
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        if (isCa)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, true));
        }
        var from = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        var to = notAfter ?? DateTimeOffset.UtcNow.AddDays(30);
        var certificate = issuer is null
            ? request.CreateSelfSigned(from, to)
            : request.Create(issuer.Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(issuer.Key), from, to, RandomNumberGenerator.GetBytes(8));
        return new TestSigningKey(key, X509CertificateLoader.LoadCertificate(certificate.RawData));
    }

    public void Dispose()
    {
        Key.Dispose();
        Certificate.Dispose();
    }
}
