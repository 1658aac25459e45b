using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AuthServer.Core.Signing;

/// <summary>Makes a signing CA, or takes one from the operator's PEM files.</summary>
public static class SigningCaFactory
{
    public static SigningCa Create(string algorithm, SigningKeyState state, KeyProtector protector, DateTime now, int lifetimeDays)
    {
        using AsymmetricAlgorithm key = SigningKeyFactory.NewKey(algorithm);
        var kid = LibtrustKeyId.FromKey(key);
        var subject = new X500DistinguishedName($"CN=AuthServer token signing CA {kid[..14]}, O=AuthServer");
        var request = key switch
        {
            ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new UnreachableException(),
        };
        // Path length 0: the CA signs keys, never another CA.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        // Back-dated an hour, like key certificates: a registry whose clock runs behind still accepts it.
        var notAfter = now.AddDays(lifetimeDays);
        using var certificate = request.CreateSelfSigned(now.AddHours(-1), notAfter);
        return new SigningCa
        {
            Kid = kid,
            Algorithm = algorithm,
            State = state,
            ProtectedPrivateKey = protector.Protect(key.ExportPkcs8PrivateKey()),
            Certificate = certificate.RawData,
            CreatedAt = now,
            NotAfter = notAfter.ToUniversalTime(),
        };
    }

    /// <summary>
    /// A CA from PEM: the certificate (CA:true, within its validity) and its private key (P-256 or
    /// RSA of at least 2048 bits), which must belong together.
    /// </summary>
    public static SigningCa Import(string certificatePem, string keyPem, SigningKeyState state, KeyProtector protector, DateTime now)
    {
        try
        {
            // CreateFromPem refuses a key that does not belong to the certificate.
            using var certificate = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
                ?? throw new CryptographicException("the key is neither an EC nor an RSA key");
            return FromCertificateAndKey(certificate, key, state, protector, now);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new ArgumentException($"the CA certificate and key cannot be used: {e.Message}", e);
        }
    }

    private static SigningCa FromCertificateAndKey(X509Certificate2 certificate, AsymmetricAlgorithm key, SigningKeyState state, KeyProtector protector, DateTime now)
    {
        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().SingleOrDefault();
        if (constraints is null || !constraints.CertificateAuthority)
            throw new ArgumentException("the certificate is not a CA certificate (basic constraints CA:true is missing)");
        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().SingleOrDefault();
        if (usage is not null && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign))
            throw new ArgumentException("the CA certificate's key usage does not allow signing certificates (keyCertSign)");
        if (certificate.NotAfter.ToUniversalTime() <= now || certificate.NotBefore.ToUniversalTime() > now)
            throw new ArgumentException($"the CA certificate is not valid now (valid {certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u})");
        var algorithm = key switch
        {
            ECDsa ec when ec.KeySize == 256 => SigningAlgorithms.ES256,
            RSA rsa when rsa.KeySize >= 2048 => SigningAlgorithms.RS256,
            _ => throw new ArgumentException($"the CA key must be EC P-256 or RSA of at least 2048 bits (it is {key.GetType().Name} {key.KeySize})"),
        };
        return new SigningCa
        {
            Kid = LibtrustKeyId.FromKey(key),
            Algorithm = algorithm,
            State = state,
            ProtectedPrivateKey = protector.Protect(key.ExportPkcs8PrivateKey()),
            Certificate = certificate.RawData,
            Imported = true,
            CreatedAt = now,
            NotAfter = certificate.NotAfter.ToUniversalTime(),
        };
    }
}
