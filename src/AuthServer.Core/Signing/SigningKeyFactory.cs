using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AuthServer.Core.Signing;

/// <summary>Makes a new key pair and its certificate: self-signed, or issued by a signing CA.</summary>
public static class SigningKeyFactory
{
    public static SigningKey Create(
        string algorithm, SigningKeyState state, KeyProtector protector, DateTime now, int certificateLifetimeDays, SigningCaMaterial? ca = null)
    {
        using var key = NewKey(algorithm);
        var kid = LibtrustKeyId.FromKey(key);
        var subject = new X500DistinguishedName($"CN=AuthServer token signing {kid[..14]}, O=AuthServer");
        var request = key switch
        {
            ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new UnreachableException(),
        };
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));

        // Back-dated an hour: a registry whose clock runs behind must still accept the certificate.
        var notBefore = now.AddHours(-1);
        var notAfter = now.AddDays(certificateLifetimeDays);
        if (ca is not null) request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        using var certificate = ca is null ? request.CreateSelfSigned(notBefore, notAfter) : ca.Issue(request, notBefore, notAfter);

        return new SigningKey
        {
            Kid = kid,
            Algorithm = algorithm,
            State = state,
            ProtectedPrivateKey = protector.Protect(key.ExportPkcs8PrivateKey()),
            Certificate = certificate.RawData,
            CaId = ca?.Id,
            CreatedAt = now,
            ActivatedAt = state == SigningKeyState.Active ? now : null,
            NotAfter = certificate.NotAfter.ToUniversalTime(),
        };
    }

    public static AsymmetricAlgorithm NewKey(string algorithm) => algorithm switch
    {
        SigningAlgorithms.ES256 => NewEcKey(),
        SigningAlgorithms.RS256 => RSA.Create(2048),
        _ => throw new ArgumentException($"unsupported signing algorithm '{algorithm}'", nameof(algorithm)),
    };

    /// <summary>
    /// A P-256 key whose X and Y both start with a non-zero byte. Registry 3.x hashes bundle
    /// certificates with Go's big.Int.Bytes(), which drops leading zeros, so for about 1 key in
    /// 128 its thumbprint would differ from RFC 7638's; such keys are drawn again, and every key
    /// made here has one thumbprint whoever computes it.
    /// </summary>
    private static ECDsa NewEcKey()
    {
        while (true)
        {
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            if (!JwkThumbprint.HasLeadingZeroCoordinate(key)) return key;
            key.Dispose();
        }
    }
}
