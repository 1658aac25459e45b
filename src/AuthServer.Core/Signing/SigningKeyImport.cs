using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AuthServer.Core.Signing;

/// <summary>
/// A signing key brought as PEM files, such as docker_auth's token certificate and key: a registry
/// that trusts that certificate keeps accepting tokens once we sign with it. Its kid is the
/// libtrust ID of its public key, computed as for keys made here.
/// </summary>
public static class SigningKeyImport
{
    /// <exception cref="ArgumentException">The files do not hold a usable certificate and matching key.</exception>
    public static SigningKey FromPem(string certificatePem, string keyPem, KeyProtector protector, DateTime now)
    {
        using var certificate = Load(certificatePem, keyPem);
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException("the key is neither an EC nor an RSA key");
        var algorithm = key switch
        {
            ECDsa ec when ec.KeySize == 256 => SigningAlgorithms.ES256,
            RSA rsa when rsa.KeySize >= 2048 => SigningAlgorithms.RS256,
            _ => throw new ArgumentException($"the key must be EC P-256 or RSA of at least 2048 bits (it is {key.GetType().Name} {key.KeySize})"),
        };
        if (certificate.NotAfter.ToUniversalTime() <= now)
            throw new ArgumentException($"the certificate expired at {certificate.NotAfter.ToUniversalTime():u}; registries would refuse tokens signed with it");
        return new SigningKey
        {
            Kid = LibtrustKeyId.FromKey(key),
            Algorithm = algorithm,
            State = SigningKeyState.Next,
            ProtectedPrivateKey = protector.Protect(key.ExportPkcs8PrivateKey()),
            Certificate = certificate.RawData,
            CreatedAt = now,
            NotAfter = certificate.NotAfter.ToUniversalTime(),
        };
    }

    private static X509Certificate2 Load(string certificatePem, string keyPem)
    {
        try
        {
            // CreateFromPem refuses a key that does not belong to the certificate.
            return X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new ArgumentException($"the certificate and key cannot be used: {e.Message.TrimEnd('.')}", e);
        }
    }
}
