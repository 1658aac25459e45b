using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AuthServer.TestSupport;

/// <summary>
/// A certificate authority for one test run, made in process: its certificate (PEM) for clients
/// to trust, and server certificates for 127.0.0.1 and localhost signed by it, written as PEM
/// files the way certbot leaves them (certificate, unencrypted key with mode 0600).
/// </summary>
public sealed class TestCa : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _certificate;

    public TestCa(string name, string directory)
    {
        Directory = directory;
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        CertificatePath = Path.Combine(directory, $"{Slug(name)}-ca.pem");
        File.WriteAllText(CertificatePath, _certificate.ExportCertificatePem());
    }

    public string Directory { get; }

    /// <summary>The CA's certificate, PEM: what a client is told to trust.</summary>
    public string CertificatePath { get; }

    /// <summary>A server certificate for 127.0.0.1 and localhost (serverAuth), signed by this CA; returns the PEM files.</summary>
    public (string Certificate, string Key) IssueServer(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_certificate, true, false));
        using var certificate = request.Create(_certificate, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(2),
            RandomNumberGenerator.GetBytes(16));
        var certificatePath = Path.Combine(Directory, $"{Slug(name)}.pem");
        var keyPath = Path.Combine(Directory, $"{Slug(name)}.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (certificatePath, keyPath);
    }

    /// <summary>A directory holding these CAs' certificates as <c>*.crt</c>, as containers/image's <c>--cert-dir</c> reads them.</summary>
    public static string CertDirectory(string path, params TestCa[] trusted)
    {
        System.IO.Directory.CreateDirectory(path);
        foreach (var ca in trusted) File.Copy(ca.CertificatePath, Path.Combine(path, Path.GetFileNameWithoutExtension(ca.CertificatePath) + ".crt"), overwrite: true);
        return path;
    }

    private static string Slug(string name) => new([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);

    public void Dispose()
    {
        _certificate.Dispose();
        _key.Dispose();
    }
}
