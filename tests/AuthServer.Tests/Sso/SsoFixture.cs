using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Sso;

/// <summary>
/// A server with one OpenID Connect provider, "test": the real oidc-provider on loopback. Its users
/// need the provider group registry-users; developers is mapped to the group devs, registry-* to
/// groups of the same name. Their CLI secrets may live 30 days at most.
/// </summary>
public class SsoFixture : AuthServerFixture, IAsyncLifetime
{
    public const string ProviderName = "test";
    public const string RequiredGroup = "registry-users";

    private readonly int _providerPort = OidcTestProvider.ReservePort();

    public OidcTestProvider Provider { get; private set; } = null!;

    /// <summary>How the server and the browser address the provider; another host than the server's makes the sign-in cross-site.</summary>
    protected virtual string ProviderHost => "127.0.0.1";

    public Uri ProviderAddress => new($"http://{ProviderHost}:{_providerPort}");

    protected override void Configure(Dictionary<string, string?> settings)
    {
        var p = "AuthServer:Oidc:Providers:0:";
        settings["AuthServer:Oidc:AllowHttpLoopbackIssuers"] = "true";
        settings[p + "Name"] = ProviderName;
        settings[p + "DisplayName"] = "Test Provider";
        settings[p + "Authority"] = ProviderAddress.ToString().TrimEnd('/');
        settings[p + "ClientId"] = OidcTestProvider.ClientId;
        settings[p + "ClientSecret"] = OidcTestProvider.ClientSecret;
        settings[p + "Scopes:0"] = "profile";
        settings[p + "Scopes:1"] = "email";
        settings[p + "Scopes:2"] = "groups";
        settings[p + "RequiredGroup"] = RequiredGroup;
        settings[p + "GroupMappings:0:Provider"] = "developers";
        settings[p + "GroupMappings:0:Group"] = "devs";
        settings[p + "GroupMappings:1:Provider"] = "registry-*";
        settings[p + "MaxAccessTokenLifetime"] = "30.00:00:00";
    }

    public new virtual async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Provider = await OidcTestProvider.StartAsync(ProviderHost, _providerPort, new Uri(BaseAddress, $"/login/{ProviderName}/callback").ToString());
    }

    public new virtual async Task DisposeAsync()
    {
        if (Provider is not null) await Provider.DisposeAsync();
        await base.DisposeAsync();
    }
}
