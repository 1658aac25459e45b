using System.Net;
using System.Text.Json.Nodes;
using AuthServer.Core.Signing;
using AuthServer.Registry;
using AuthServer.Registry.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuthServer.Tests.Infrastructure;

/// <summary>
/// Our real token server and the built-in registry, each on a free loopback port, the registry
/// trusting what <c>authserver keys export</c> writes plus one test key (for tokens the tests sign
/// themselves). Derived fixtures choose the registry's rules and whether tokens carry x5c.
/// </summary>
public abstract class RegistryFixture : IAsyncLifetime
{
    public const string Issuer = "test-issuer";
    public const string JwksTestKid = "test-jwks-key";

    private readonly List<RunningRegistry> _registries = [];

    public abstract VerificationMode Mode { get; }

    /// <summary>AuthServer:Signing:IncludeX5c on the token server.</summary>
    public virtual bool TokensCarryX5c => true;

    /// <summary>Give the registry the JWKS file as well as the bundle (3.x only).</summary>
    public virtual bool TrustJwks => false;

    public AuthServerFixture Server { get; private set; } = null!;
    public TestSigningKey TestKey { get; } = TestSigningKey.Create("trusted test key");
    public string Directory { get; } = TempDirectory.Create("registry-test");
    public string BundlePath => Path.Combine(Directory, "bundle.pem");
    public string JwksPath => Path.Combine(Directory, "jwks.json");
    public string ServerBundle { get; private set; } = "";
    public string ServerKid { get; private set; } = "";
    public RunningRegistry Registry { get; private set; } = null!;
    public HttpClient Http => Registry.Http;
    public string Realm => new Uri(Server.BaseAddress, "/token").ToString();
    public CapturedLogs RegistryLogs { get; } = new();

    public async Task InitializeAsync()
    {
        Server = new ConfiguredAuthServer(TokensCarryX5c);
        await Server.InitializeAsync();
        await Server.WithServiceAsync(async sp =>
        {
            var keys = sp.GetRequiredService<SigningKeyService>();
            ServerBundle = await keys.ExportBundleAsync(CancellationToken.None);
            ServerKid = (await keys.ListAsync(CancellationToken.None)).Single(k => k.State == SigningKeyState.Active).Kid;
            var jwks = JsonNode.Parse((await keys.ExportJwksAsync(CancellationToken.None)).ToJson())!.AsObject();
            jwks["keys"]!.AsArray().Add(TestKey.Jwk(JwksTestKid));
            await File.WriteAllTextAsync(JwksPath, jwks.ToJsonString());
        });
        await File.WriteAllTextAsync(BundlePath, ServerBundle + TestKey.CertificatePem);
        Registry = await StartRegistryAsync();
    }

    public RegistryOptions Options(Action<RegistryOptions>? tweak = null)
    {
        var options = new RegistryOptions
        {
            Realm = Realm,
            Service = AuthServerFixture.Service,
            Issuer = Issuer,
            RootCertBundle = BundlePath,
            Jwks = TrustJwks ? JwksPath : null,
            Mode = Mode,
        };
        tweak?.Invoke(options);
        return options;
    }

    /// <summary>Another registry with these trust settings (changed by <paramref name="tweak"/>), stopped with the fixture.</summary>
    public async Task<RunningRegistry> StartRegistryAsync(Action<RegistryOptions>? tweak = null, TimeProvider? clock = null)
    {
        var app = RegistryHost.Build(Options(tweak), "http://127.0.0.1:0", b =>
        {
            if (clock is not null) b.Services.AddSingleton(clock);
            b.Logging.AddProvider(RegistryLogs);
        });
        await app.StartAsync();
        var registry = new RunningRegistry(app);
        _registries.Add(registry);
        return registry;
    }

    /// <summary>A token from our server, asked for as a client asks (GET, Basic, one scope parameter each).</summary>
    public async Task<string> TokenAsync(string user, string password, params string[] scopes) =>
        await TokenForServiceAsync(AuthServerFixture.Service, user, password, scopes);

    public async Task<string> TokenForServiceAsync(string service, string user, string password, params string[] scopes)
    {
        var query = $"service={service}" + string.Concat(scopes.Select(s => "&scope=" + Uri.EscapeDataString(s)));
        var answer = await Server.Http.GetTokenAsync(query, AuthServerFixture.Basic(user, password));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return answer.Body.GetProperty("token").GetString()!;
    }

    public Task<string> AdminTokenAsync(params string[] scopes) => TokenAsync(AuthServerFixture.AdminName, AuthServerFixture.AdminPassword, scopes);

    public Task<(string Name, string Password)> NewUserAsync(string prefix = "user") => Server.NewUserAsync(prefix);

    public async Task DisposeAsync()
    {
        foreach (var r in _registries) await r.DisposeAsync();
        await Server.DisposeAsync();
        TestKey.Dispose();
        TempDirectory.Delete(Directory);
    }

    private sealed class ConfiguredAuthServer(bool includeX5c) : AuthServerFixture
    {
        protected override void Configure(Dictionary<string, string?> settings) =>
            settings["AuthServer:Signing:IncludeX5c"] = includeX5c ? "true" : "false";
    }
}

/// <summary>A registry started by a fixture, with a client pointed at it.</summary>
public sealed class RunningRegistry(WebApplication app) : IAsyncDisposable
{
    public Uri BaseAddress { get; } = new(app.Urls.First());
    public HttpClient Http { get; } = new() { BaseAddress = new Uri(app.Urls.First()) };

    private bool _stopped;

    /// <summary>Stops the registry, as a process exit would; later calls do nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped) return;
        _stopped = true;
        Http.Dispose();
        await app.DisposeAsync();
    }
}

/// <summary>distribution 2.8 rules; tokens carry x5c; the registry has the certificate bundle.</summary>
public sealed class Registry28Fixture : RegistryFixture
{
    public override VerificationMode Mode => VerificationMode.Distribution28;
}

/// <summary>distribution 2.8 rules; tokens carry only kid (the libtrust ID), found through the bundle.</summary>
public sealed class Registry28KidOnlyFixture : RegistryFixture
{
    public override VerificationMode Mode => VerificationMode.Distribution28;
    public override bool TokensCarryX5c => false;
}

/// <summary>distribution 3.x rules; tokens carry x5c; the bundle alone is enough.</summary>
public sealed class Registry3Fixture : RegistryFixture
{
    public override VerificationMode Mode => VerificationMode.Distribution3;
}

/// <summary>distribution 3.x rules; tokens carry only kid, which 3.x finds through the JWKS file.</summary>
public sealed class Registry3KidOnlyFixture : RegistryFixture
{
    public override VerificationMode Mode => VerificationMode.Distribution3;
    public override bool TokensCarryX5c => false;
    public override bool TrustJwks => true;
}
