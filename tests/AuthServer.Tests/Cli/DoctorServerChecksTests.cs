using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Cli;

/// <summary>
/// <c>authserver doctor</c>'s checks of this server's own settings: TLS here or a trusted proxy in
/// front, the modes of the key-encryption key, TLS key and data directory, and a bootstrap
/// password left in the environment. Each finding is one line; an error exits 1.
/// </summary>
public sealed class DoctorServerChecksTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>, IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _dir = TempDirectory.Create("doctor-server");

    public void Dispose() => TempDirectory.Delete(_dir);

    private string KekPath => Path.Combine(server.DataDirectory, "signing.kek");

    /// <summary>doctor with the test settings, the bootstrap password removed (unless given), then <paramref name="settings"/>.</summary>
    private Task<CliProcess.Result> DoctorAsync(params (string Key, string? Value)[] settings)
    {
        var all = new Dictionary<string, string?> { ["AuthServer:Bootstrap:AdminPassword"] = null };
        foreach (var (key, value) in settings) all[key] = value;
        return InProcessCli.RunWithAsync(server.DataDirectory, all, null, "doctor");
    }

    private static string[] Lines(CliProcess.Result result, string severity) =>
        [.. result.Output.Split('\n').Where(l => l.StartsWith(severity + ": ", StringComparison.Ordinal))];

    /// <summary>A certificate for 127.0.0.1 and localhost, self-signed, with its key (mode 0600) beside it.</summary>
    private (string Certificate, string Key) Certificate(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=doctor test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        var name = Guid.NewGuid().ToString("N");
        var certificatePath = Path.Combine(_dir, name + ".pem");
        var keyPath = Path.Combine(_dir, name + ".key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(keyPath, Private);
        return (certificatePath, keyPath);
    }

    private (string, string?)[] Tls((string Certificate, string Key) files, string urls = "https://127.0.0.1:5443") =>
        [("Urls", urls), ("AuthServer:Tls:CertificatePath", files.Certificate), ("AuthServer:Tls:KeyPath", files.Key)];

    [Fact]
    public async Task A_private_installation_on_loopback_passes_with_a_line_per_check()
    {
        File.SetUnixFileMode(server.DataDirectory, Private | UnixFileMode.UserExecute);

        var result = await DoctorAsync();

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Empty(Lines(result, "error"));
        Assert.Contains($"ok: the key-encryption key {KekPath} is private (mode 0600)", result.Output);
        Assert.Contains($"ok: the data directory {server.DataDirectory} is private (mode 0700)", result.Output);
        Assert.Contains("ok: listens on loopback only (http://127.0.0.1:0)", result.Output);
        Assert.Contains("ok: no bootstrap password is set", result.Output);
    }

    [Fact]
    public async Task A_key_encryption_key_open_to_everyone_is_an_error_to_its_group_a_warning_and_an_open_data_directory_a_warning()
    {
        try
        {
            File.SetUnixFileMode(KekPath, Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            var world = await DoctorAsync();
            File.SetUnixFileMode(KekPath, Private | UnixFileMode.GroupRead);
            var group = await DoctorAsync();

            File.SetUnixFileMode(server.DataDirectory, Private | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
                                                       | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            var directory = await DoctorAsync();

            Assert.Equal(1, world.ExitCode);
            Assert.Contains($"error: the key-encryption key {KekPath} is open to every account on this host (mode 0644): chmod 600 {KekPath}", world.Output);
            Assert.True(group.ExitCode == 0, group.Output);
            Assert.Contains($"warning: the key-encryption key {KekPath} is open to its group (mode 0640): chmod 600 {KekPath}", group.Output);
            // A directory shows names only; the files in it keep their own modes.
            Assert.True(directory.ExitCode == 0, directory.Output);
            Assert.Contains($"warning: the data directory {server.DataDirectory} is open to every account on this host (mode 0755): chmod 700", directory.Output);
        }
        finally
        {
            File.SetUnixFileMode(KekPath, Private);
            File.SetUnixFileMode(server.DataDirectory, Private | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public async Task A_bootstrap_password_left_in_the_environment_is_an_error_while_it_still_signs_in_and_a_warning_after()
    {
        // The real executable, with the test settings as environment variables, the bootstrap password among them.
        var still = await CliProcess.RunAsync(server.DataDirectory, null, "doctor");
        var changed = await DoctorAsync(("AuthServer:Bootstrap:AdminPassword", "a-password-long-since-changed"));

        Assert.Equal(1, still.ExitCode);
        var error = Assert.Single(Lines(new CliProcess.Result(still.ExitCode, still.Output, ""), "error"));
        Assert.Contains($"the administrator {AuthServerFixture.AdminName} still signs in with the bootstrap password from the environment variable AuthServer__Bootstrap__AdminPassword", error);
        Assert.Contains($"authserver user passwd {AuthServerFixture.AdminName}", error);
        Assert.DoesNotContain(AuthServerFixture.AdminPassword, still.Output + still.Error);
        Assert.True(changed.ExitCode == 0, changed.Output);
        Assert.Contains("warning: AuthServer:Bootstrap:AdminPassword is still set in the settings, though it is used only on an empty database: remove it", changed.Output);
    }

    [Fact]
    public async Task An_https_address_without_a_certificate_is_an_error()
    {
        var result = await DoctorAsync(("Urls", "https://127.0.0.1:5443"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: Urls has an https address but no certificate is configured", result.Output);
    }

    [Fact]
    public async Task An_https_public_url_in_front_of_plain_http_is_an_error_until_the_proxy_is_trusted()
    {
        var untrusted = await DoctorAsync(("AuthServer:Admin:PublicUrl", "https://auth.example.com"));
        var trusted = await DoctorAsync(("AuthServer:Admin:PublicUrl", "https://auth.example.com"), ("AuthServer:Network:TrustedProxies:0", "127.0.0.1"));

        Assert.Equal(1, untrusted.ExitCode);
        var error = Assert.Single(Lines(untrusted, "error"));
        Assert.Contains("AuthServer:Admin:PublicUrl https://auth.example.com is https, but this server serves plain http and trusts no proxy", error);
        Assert.Contains("AuthServer:Network:TrustedProxies", error);
        Assert.True(trusted.ExitCode == 0, trusted.Output);
        Assert.Contains("ok: AuthServer:Admin:PublicUrl https://auth.example.com is served with TLS by a trusted proxy", trusted.Output);
        Assert.Contains("ok: X-Forwarded-For is taken from 127.0.0.1 only", trusted.Output);
    }

    [Fact]
    public async Task Plain_http_on_the_network_without_tls_or_a_proxy_is_a_warning()
    {
        var result = await DoctorAsync(("Urls", "http://0.0.0.0:5001"));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("warning: http://0.0.0.0:5001 is plain http on the network, with no TLS here and no trusted proxy", result.Output);
    }

    [Fact]
    public async Task Trusting_every_address_as_a_proxy_is_an_error()
    {
        var result = await DoctorAsync(("AuthServer:Network:TrustedNetworks:0", "0.0.0.0/0"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: AuthServer:Network:TrustedNetworks has 0.0.0.0/0, every address", result.Output);
    }

    [Fact]
    public async Task A_tls_certificate_is_checked_for_expiry_the_public_host_name_and_its_keys_mode()
    {
        var current = Certificate(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90));
        var expired = Certificate(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));

        var good = await DoctorAsync([.. Tls(current), ("AuthServer:Admin:PublicUrl", "https://127.0.0.1:5443")]);
        var otherName = await DoctorAsync([.. Tls(current), ("AuthServer:Admin:PublicUrl", "https://auth.example.com")]);
        var old = await DoctorAsync(Tls(expired));
        var nowhere = await DoctorAsync(Tls(current, urls: "http://127.0.0.1:5001"));
        File.SetUnixFileMode(current.Key, Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var openKey = await DoctorAsync(Tls(current));

        Assert.True(good.ExitCode == 0, good.Output);
        Assert.Contains("ok: the TLS certificate CN=doctor test is valid until", good.Output);
        Assert.Contains("ok: AuthServer:Admin:PublicUrl https://127.0.0.1:5443 is served with TLS here", good.Output);
        Assert.Contains($"ok: the TLS private key {current.Key} is private (mode 0600)", good.Output);
        Assert.Equal(1, otherName.ExitCode);
        Assert.Contains("names auth.example.com, which the TLS certificate (CN=doctor test) does not", otherName.Output);
        Assert.Equal(1, old.ExitCode);
        Assert.Contains("error: the TLS certificate CN=doctor test expired on", old.Output);
        Assert.True(nowhere.ExitCode == 0, nowhere.Output);
        Assert.Contains("warning: AuthServer:Tls names a certificate, but no address in Urls is https: it is served nowhere", nowhere.Output);
        Assert.Equal(1, openKey.ExitCode);
        Assert.Contains($"error: the TLS private key {current.Key} is open to every account on this host (mode 0644)", openKey.Output);
    }

    [Fact]
    public async Task A_plain_ldap_directory_off_this_host_without_starttls_is_a_warning()
    {
        (string, string?)[] directory = [("AuthServer:Ldap:UserBase", "ou=people,dc=example,dc=org")];

        var plain = await DoctorAsync([.. directory, ("AuthServer:Ldap:Servers:0", "ldap://ldap.example.org")]);
        var startTls = await DoctorAsync([.. directory, ("AuthServer:Ldap:Servers:0", "ldap://ldap.example.org"), ("AuthServer:Ldap:StartTls", "true")]);
        var local = await DoctorAsync([.. directory, ("AuthServer:Ldap:Servers:0", "ldap://127.0.0.1:3890")]);

        Assert.True(plain.ExitCode == 0, plain.Output + plain.Error);
        Assert.Contains("warning: the directory ldap://ldap.example.org:389 is plain LDAP without StartTLS", plain.Output);
        Assert.Contains("ok: the directory ldap://ldap.example.org is reached with StartTLS", startTls.Output);
        Assert.Contains("ok: the directory ldap://127.0.0.1 is reached on this host", local.Output);
    }
}
