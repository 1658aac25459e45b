using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AuthServer.Core.Signing;

/// <summary>A stored CA made ready to issue key certificates: its private key decrypted.</summary>
public sealed class SigningCaMaterial : IDisposable
{
    private readonly AsymmetricAlgorithm _privateKey;

    public SigningCaMaterial(SigningCa ca, KeyProtector protector)
    {
        Id = ca.Id;
        Certificate = X509CertificateLoader.LoadCertificate(ca.Certificate);
        var pkcs8 = protector.Unprotect(ca.ProtectedPrivateKey);
        try
        {
            _privateKey = Certificate.GetKeyAlgorithm() == "1.2.840.10045.2.1" ? ECDsa.Create() : RSA.Create();
            _privateKey.ImportPkcs8PrivateKey(pkcs8, out _);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    public long Id { get; }
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// Signs the request as this CA. Its validity is kept within the CA's own (a chain verifier
    /// may check that), and the authority key identifier names the CA's key when the CA has one.
    /// </summary>
    public X509Certificate2 Issue(CertificateRequest request, DateTime notBefore, DateTime notAfter)
    {
        // An imported CA may lack a subject key identifier; chains are found by name then.
        if (Certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Any())
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var generator = _privateKey switch
        {
            ECDsa ec => X509SignatureGenerator.CreateForECDsa(ec),
            RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
            _ => throw new CryptographicException("the CA key is neither an EC nor an RSA key"),
        };
        var from = Max(notBefore, Certificate.NotBefore.ToUniversalTime());
        var to = Min(notAfter, Certificate.NotAfter.ToUniversalTime());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive, as RFC 5280 §4.1.2.2 asks
        return request.Create(Certificate.SubjectName, generator, from, to, serial);
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    public void Dispose()
    {
        _privateKey.Dispose();
        Certificate.Dispose();
    }
}
