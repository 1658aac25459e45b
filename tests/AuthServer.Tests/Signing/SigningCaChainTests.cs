using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AuthServer.Core.Signing;
using AuthServer.Registry.Auth;

namespace AuthServer.Tests.Signing;

/// <summary>
/// The chain CA mode puts in x5c (leaf, then CA) as a registry checks it: Go's x509 verify with
/// only the CA in the root pool, which the in-process registry's <see cref="CertificateChain"/>
/// follows. A registry trusting another CA, or a leaf past its dates, is refused.
/// </summary>
public class SigningCaChainTests
{
    private static readonly KeyProtector Protector = new(RandomNumberGenerator.GetBytes(32));
    private static readonly DateTime Now = new(2026, 11, 28, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("ES256", "ES256")]
    [InlineData("RS256", "ES256")]
    [InlineData("ES256", "RS256")]
    public void A_key_issued_by_the_ca_chains_to_the_ca_alone(string caAlgorithm, string keyAlgorithm)
    {
        var ca = Ca(caAlgorithm);
        var key = Issue(ca, keyAlgorithm);
        using var material = new SigningKeyMaterial(key, Protector, ca.Certificate);

        Assert.Equal(2, material.X5c.Length);
        Assert.Equal(Convert.ToBase64String(ca.Certificate), material.X5c[1]);
        var verified = CertificateChain.Verify(material.X5c, Roots(ca.Certificate), Now);
        Assert.NotNull(verified);
    }

    [Fact]
    public void The_ca_certificate_may_sign_only_keys_and_the_leaf_may_sign_only_tokens()
    {
        var ca = Ca("ES256");
        using var caCertificate = X509CertificateLoader.LoadCertificate(ca.Certificate);
        var caConstraints = caCertificate.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(caConstraints.CertificateAuthority);
        Assert.True(caConstraints.HasPathLengthConstraint);
        Assert.Equal(0, caConstraints.PathLengthConstraint);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, caCertificate.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);

        using var leaf = X509CertificateLoader.LoadCertificate(Issue(ca, "ES256").Certificate);
        Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, leaf.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.Equal(caCertificate.SubjectName.Name, leaf.IssuerName.Name);
        Assert.Equal(
            caCertificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes.ToArray(),
            leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single().KeyIdentifier!.Value.ToArray());
    }

    [Fact]
    public void A_registry_trusting_another_ca_refuses_the_chain()
    {
        var ca = Ca("ES256");
        var other = Ca("ES256");
        using var material = new SigningKeyMaterial(Issue(ca, "ES256"), Protector, ca.Certificate);

        var refused = Assert.Throws<TokenRejectedException>(() => CertificateChain.Verify(material.X5c, Roots(other.Certificate), Now));
        Assert.Contains("unable to verify certificate chain", refused.Message);
    }

    [Fact]
    public void The_leaf_is_short_lived_and_refused_once_expired()
    {
        var ca = Ca("ES256");
        var key = Issue(ca, "ES256", lifetimeDays: 30);
        Assert.Equal(Now.AddDays(30), key.NotAfter);
        using var material = new SigningKeyMaterial(key, Protector, ca.Certificate);

        CertificateChain.Verify(material.X5c, Roots(ca.Certificate), Now.AddDays(29));
        Assert.Throws<TokenRejectedException>(() => CertificateChain.Verify(material.X5c, Roots(ca.Certificate), Now.AddDays(31)));
    }

    [Fact]
    public void A_leaf_never_outlives_its_ca()
    {
        var ca = SigningCaFactory.Create("ES256", SigningKeyState.Active, Protector, Now, lifetimeDays: 10);
        var key = Issue(ca, "ES256", lifetimeDays: 30);
        Assert.Equal(ca.NotAfter, key.NotAfter);
    }

    [Fact]
    public void An_imported_ca_keeps_its_certificate_and_issues_keys()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Company token CA", caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(Now.AddDays(-1), Now.AddYears(5));

        var ca = SigningCaFactory.Import(certificate.ExportCertificatePem(), caKey.ExportPkcs8PrivateKeyPem(), SigningKeyState.Next, Protector, Now);

        Assert.True(ca.Imported);
        Assert.Equal(certificate.RawData, ca.Certificate);
        Assert.Equal(LibtrustKeyId.FromKey(caKey), ca.Kid);
        using var material = new SigningKeyMaterial(Issue(ca, "ES256"), Protector, ca.Certificate);
        CertificateChain.Verify(material.X5c, Roots(ca.Certificate), Now);
    }

    [Fact]
    public void Import_refuses_a_certificate_that_is_no_ca_and_a_key_that_does_not_match()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = new CertificateRequest("CN=not a CA", key, HashAlgorithmName.SHA256).CreateSelfSigned(Now.AddDays(-1), Now.AddYears(1));
        var notCa = Assert.Throws<ArgumentException>(() =>
            SigningCaFactory.Import(leaf.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), SigningKeyState.Next, Protector, Now));
        Assert.Contains("CA:true", notCa.Message);

        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = request.CreateSelfSigned(Now.AddDays(-1), Now.AddYears(1));
        Assert.Throws<ArgumentException>(() =>
            SigningCaFactory.Import(ca.ExportCertificatePem(), other.ExportPkcs8PrivateKeyPem(), SigningKeyState.Next, Protector, Now));
    }

    private static SigningCa Ca(string algorithm)
    {
        var ca = SigningCaFactory.Create(algorithm, SigningKeyState.Active, Protector, Now, lifetimeDays: 3650);
        ca.Id = Random.Shared.NextInt64(1, long.MaxValue);
        return ca;
    }

    private static SigningKey Issue(SigningCa ca, string algorithm, int lifetimeDays = 30)
    {
        using var issuer = new SigningCaMaterial(ca, Protector);
        return SigningKeyFactory.Create(algorithm, SigningKeyState.Active, Protector, Now, lifetimeDays, issuer);
    }

    private static X509Certificate2Collection Roots(byte[] der) => [X509CertificateLoader.LoadCertificate(der)];
}
