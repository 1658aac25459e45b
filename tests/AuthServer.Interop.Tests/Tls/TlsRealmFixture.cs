using AuthServer.Interop.Tests.Infrastructure;

namespace AuthServer.Interop.Tests.Tls;

/// <summary>
/// Our server serving https itself (Kestrel, AuthServer:Tls, a certificate from one test CA) as
/// the realm of the real registry 2.8, which serves https with a certificate from another test CA:
/// a client that trusts only the registry's CA reaches the registry but not the realm.
/// </summary>
public sealed class TlsRealmFixture : RegistryFixture, IDisposable
{
    private readonly string _pki = TempDirectory.Create("interop-tls");
    private readonly (string Certificate, string Key) _registryFiles;

    public TlsRealmFixture()
    {
        AuthCa = new TestCa("AuthServer test CA", _pki);
        RegistryCa = new TestCa("registry test CA", _pki);
        ServerFiles = AuthCa.IssueServer("authserver");
        _registryFiles = RegistryCa.IssueServer("registry");
        TrustingBoth = TestCa.CertDirectory(Path.Combine(_pki, "trust-both"), AuthCa, RegistryCa);
        TrustingRegistryOnly = TestCa.CertDirectory(Path.Combine(_pki, "trust-registry"), RegistryCa);
    }

    public TestCa AuthCa { get; }
    public TestCa RegistryCa { get; }
    public (string Certificate, string Key) ServerFiles { get; }

    /// <summary>skopeo --cert-dir directories: both CAs, or the registry's alone.</summary>
    public string TrustingBoth { get; }
    public string TrustingRegistryOnly { get; }

    protected override void ConfigureServer(Dictionary<string, string?> settings)
    {
        settings["Urls"] = "https://127.0.0.1:0";
        settings["AuthServer:Tls:CertificatePath"] = ServerFiles.Certificate;
        settings["AuthServer:Tls:KeyPath"] = ServerFiles.Key;
        // Renewed files are picked up within a second (TlsRealmTests renews them while serving).
        settings["AuthServer:Tls:ReloadInterval"] = "00:00:01";
    }

    protected override (string Certificate, string Key)? RegistryTls => _registryFiles;

    public void Dispose()
    {
        AuthCa.Dispose();
        RegistryCa.Dispose();
        TempDirectory.Delete(_pki);
    }
}
