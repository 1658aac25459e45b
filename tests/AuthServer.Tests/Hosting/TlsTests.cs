using AuthServer.Hosting;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Hosting;

/// <summary>A server on https with a certificate from a test CA made with openssl, reloaded every second.</summary>
public sealed class TlsFixture : AuthServerFixture
{
    private readonly string _openssl = ExternalTool.Require("openssl", "openssl");

    public TlsFixture()
    {
        Pki = TempDirectory.Create("authserver-tls");
        OpenSsl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", In("ca.key"), "-out", CaPath, "-days", "2", "-subj", "/CN=AuthServer test CA");
        IssueLeaf("first", In("server.pem"), In("server.key"));
    }

    public string Pki { get; }
    public string CaPath => In("ca.pem");
    public string In(string name) => Path.Combine(Pki, name);

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Urls"] = "https://127.0.0.1:0";
        settings["AuthServer:Tls:CertificatePath"] = In("server.pem");
        settings["AuthServer:Tls:KeyPath"] = In("server.key");
        settings["AuthServer:Tls:ReloadInterval"] = "00:00:01";
    }

    /// <summary>A server certificate for 127.0.0.1 and localhost with this common name, signed by the test CA.</summary>
    public void IssueLeaf(string commonName, string certificate, string key)
    {
        File.WriteAllText(In("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        OpenSsl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", In("server.csr"), "-subj", $"/CN={commonName}");
        OpenSsl("x509", "-req", "-in", In("server.csr"), "-CA", CaPath, "-CAkey", In("ca.key"), "-CAcreateserial",
            "-days", "2", "-extfile", In("server.ext"), "-out", certificate);
    }

    private void OpenSsl(params string[] args)
    {
        var result = ExternalTool.RunAsync(_openssl, Pki, TimeSpan.FromSeconds(30), args).GetAwaiter().GetResult();
        if (result.ExitCode != 0) throw new InvalidOperationException($"openssl failed: {result}");
    }
}

public class TlsTests(TlsFixture server) : IClassFixture<TlsFixture>
{
    private readonly string _curl = ExternalTool.Require("curl", "curl");

    private Task<ExternalTool.Result> CurlAsync(params string[] args) =>
        ExternalTool.RunAsync(_curl, server.Pki, TimeSpan.FromSeconds(30), ["-sS", "--cacert", server.CaPath, .. args]);

    private string Url(string path) => new Uri(server.BaseAddress, path).ToString();

    [Fact]
    public async Task Curl_verifies_the_server_against_the_test_ca_and_speaks_http2()
    {
        Assert.Equal("https", server.BaseAddress.Scheme);
        var health = await CurlAsync("--http2", "-o", "/dev/null", "-w", "%{http_code} %{http_version}", Url("/healthz"));
        Assert.True(health.ExitCode == 0, health.ToString());
        Assert.Equal("200 2", health.Output);

        var token = await CurlAsync("-u", $"{AdminName}:{AdminPassword}", "-o", "/dev/null", "-w", "%{http_code}",
            Url($"/token?service={Service}&scope=repository:tls/a:pull"));
        Assert.Equal("200", token.Output);
    }

    [Fact]
    public async Task Tls_1_2_and_1_3_are_served_and_older_versions_refused()
    {
        foreach (var version in new[] { "1.2", "1.3" })
        {
            var answer = await CurlAsync($"--tlsv{version}", "--tls-max", version, "-o", "/dev/null", "-w", "%{http_code}", Url("/healthz"));
            Assert.True(answer.Output == "200", $"TLS {version}: {answer}");
        }
        var old = await CurlAsync("--tlsv1.1", "--tls-max", "1.1", "--ciphers", "DEFAULT@SECLEVEL=0", "-o", "/dev/null", Url("/healthz"));
        Assert.NotEqual(0, old.ExitCode);
    }

    [Fact]
    public async Task A_renewed_certificate_is_served_without_a_restart_and_requests_go_on_meanwhile()
    {
        using var serving = new CancellationTokenSource();
        var failures = new List<string>();
        var requests = 0;
        var load = Task.Run(async () =>
        {
            while (!serving.IsCancellationRequested)
            {
                var answer = await CurlAsync("-o", "/dev/null", "-w", "%{http_code}", Url("/healthz"));
                requests++;
                if (answer.Output != "200") failures.Add(answer.ToString());
            }
        });

        // As certbot does: new files written aside, then renamed over the served ones.
        server.IssueLeaf("renewed", server.In("new.pem"), server.In("new.key"));
        File.Move(server.In("new.key"), server.In("server.key"), overwrite: true);
        File.Move(server.In("new.pem"), server.In("server.pem"), overwrite: true);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        string subject;
        do
        {
            await Task.Delay(250);
            var verbose = await CurlAsync("-v", "-o", "/dev/null", Url("/healthz"));
            subject = verbose.Error;
        }
        while (!subject.Contains("CN=renewed") && DateTime.UtcNow < deadline);
        await serving.CancelAsync();
        await load;

        Assert.Contains("CN=renewed", subject);
        Assert.True(requests > 0);
        Assert.Empty(failures);
        Assert.Contains(server.Logs.Lines, l => l.Contains("TLS certificate reloaded") && l.Contains("CN=renewed"));
    }

    [Fact]
    public void A_certificate_that_cannot_be_loaded_stops_the_start_with_its_path()
    {
        var settings = BaseSettings(server.DataDirectory);
        settings["AuthServer:Tls:CertificatePath"] = server.In("missing.pem");
        settings["AuthServer:Tls:KeyPath"] = server.In("server.key");
        var e = Assert.Throws<StartupException>(() => AuthServerHost.Build([], b => b.Configuration.AddInMemoryCollection(settings)));
        Assert.Contains("missing.pem", e.Message);
    }
}
