using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Core.Signing;

/// <summary>
/// A stored key made ready to sign: private key decrypted, credentials and the x5c value built
/// once, not per token. <paramref name="caCertificate"/> is the DER of the CA that issued the key's
/// certificate, if one did; <paramref name="trustedUntil"/> ends the trust in a retired key.
/// </summary>
public sealed class SigningKeyMaterial : IDisposable
{
    private readonly AsymmetricAlgorithm _privateKey;

    public SigningKeyMaterial(SigningKey key, KeyProtector protector, byte[]? caCertificate = null, DateTime? trustedUntil = null)
    {
        Id = key.Id;
        CaId = key.CaId;
        TrustedUntil = trustedUntil;
        Kid = key.Kid;
        Algorithm = key.Algorithm;
        State = key.State;
        Certificate = X509CertificateLoader.LoadCertificate(key.Certificate);
        var pkcs8 = protector.Unprotect(key.ProtectedPrivateKey);
        try
        {
            (_privateKey, SecurityKey) = key.Algorithm switch
            {
                SigningAlgorithms.ES256 => LoadEc(pkcs8, key.Kid),
                SigningAlgorithms.RS256 => LoadRsa(pkcs8, key.Kid),
                _ => throw new CryptographicException($"unsupported signing algorithm '{key.Algorithm}'"),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
        Credentials = new SigningCredentials(SecurityKey, Algorithm);
        // RFC 7515 §4.1.6: standard base64 (not base64url) DER, leaf first, then the CA, which a
        // registry finds in its rootcertbundle (distribution token.go verifyCertChain).
        X5c = caCertificate is null
            ? [Convert.ToBase64String(key.Certificate)]
            : [Convert.ToBase64String(key.Certificate), Convert.ToBase64String(caCertificate)];
    }

    public long Id { get; }
    public long? CaId { get; }

    /// <summary>When a retired key stops being trusted; null while it is next or active.</summary>
    public DateTime? TrustedUntil { get; }
    public string Kid { get; }
    public string Algorithm { get; }
    public SigningKeyState State { get; }
    public X509Certificate2 Certificate { get; }
    public SecurityKey SecurityKey { get; }
    public SigningCredentials Credentials { get; }
    public string[] X5c { get; }

    /// <summary>The public key as a JWK, for the JWKS document.</summary>
    public PublicJwk Jwk => PublicJwk.FromCertificate(Certificate, Kid, Algorithm, X5c);

    private static (AsymmetricAlgorithm, SecurityKey) LoadEc(byte[] pkcs8, string kid)
    {
        var ec = ECDsa.Create();
        ec.ImportPkcs8PrivateKey(pkcs8, out _);
        return (ec, new ECDsaSecurityKey(ec) { KeyId = kid, CryptoProviderFactory = OwnFactory() });
    }

    private static (AsymmetricAlgorithm, SecurityKey) LoadRsa(byte[] pkcs8, string kid)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(pkcs8, out _);
        return (rsa, new RsaSecurityKey(rsa) { KeyId = kid, CryptoProviderFactory = OwnFactory() });
    }

    // IdentityModel's default factory caches signature providers process-wide by the key's JWK
    // thumbprint, not by the key object: another server in this process with the same key (tests,
    // an embedding host) would be handed a provider holding our ECDsa/RSA, and fail with
    // ObjectDisposedException once we dispose it. A cache of this key's own ends with the key.
    private static CryptoProviderFactory OwnFactory() => new(new InMemoryCryptoProviderCache());

    public void Dispose()
    {
        _privateKey.Dispose();
        Certificate.Dispose();
    }
}
