using AuthServer.Core.Sso;
using AuthServer.Hosting;
using AuthServer.Sso;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuthServer.Tests.Sso;

/// <summary>Providers are checked at start like every setting: discovery only over HTTPS, a name fit for an address, a client.</summary>
public class OidcSettingsTests
{
    private static OidcProviderOptions Good() => new() { Name = "corp", Authority = "https://sso.example.com/realms/corp", ClientId = "authserver", ClientSecret = "s" };

    private static string[] Errors(OidcOptions options, bool console = true) =>
        new OidcOptionsValidator(console).Validate(null, options).Failures?.ToArray() ?? [];

    [Fact]
    public void A_complete_provider_is_accepted() => Assert.Empty(Errors(new OidcOptions { Providers = [Good()] }));

    [Theory]
    [InlineData("http://sso.example.com", "Authority must use https")]
    [InlineData("http://127.0.0.1:8080", "Authority must use https")]
    [InlineData("sso.example.com", "Authority is not an absolute URL")]
    public void An_authority_not_on_https_is_refused(string authority, string error)
    {
        var provider = Good();
        provider.Authority = authority;
        Assert.Contains(Errors(new OidcOptions { Providers = [provider] }), e => e.Contains(error, StringComparison.Ordinal));
    }

    [Fact]
    public void A_loopback_http_authority_only_when_allowed_for_tests()
    {
        var provider = Good();
        provider.Authority = "http://127.0.0.1:8080";
        Assert.Empty(Errors(new OidcOptions { Providers = [provider], AllowHttpLoopbackIssuers = true }));
        provider.Authority = "http://10.0.0.1:8080";
        Assert.NotEmpty(Errors(new OidcOptions { Providers = [provider], AllowHttpLoopbackIssuers = true }));
    }

    [Fact]
    public void Names_clients_and_the_console_are_checked()
    {
        var badName = Good();
        badName.Name = "Corp SSO";
        var noClient = Good();
        noClient.Name = "other";
        noClient.ClientId = "";
        var errors = Errors(new OidcOptions { Providers = [Good(), badName, noClient, Good()] }, console: false);
        Assert.Contains(errors, e => e.Contains("Providers:1:Name", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Providers:2:ClientId", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Providers:3:Name 'corp' is used", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("needs the web console", StringComparison.Ordinal));
    }

    [Fact]
    public void A_server_with_an_http_authority_off_loopback_does_not_start_and_says_which_setting()
    {
        var data = TempDirectory.Create("authserver-sso-settings");
        try
        {
            var settings = AuthServerFixture.BaseSettings(data);
            settings["AuthServer:Oidc:AllowHttpLoopbackIssuers"] = "true";
            settings["AuthServer:Oidc:Providers:0:Name"] = "corp";
            settings["AuthServer:Oidc:Providers:0:Authority"] = "http://sso.example.com";
            settings["AuthServer:Oidc:Providers:0:ClientId"] = "authserver";
            using var app = AuthServerHost.Build([], b => b.Configuration.AddInMemoryCollection(settings));

            var refused = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IStartupValidator>().Validate());
            Assert.Contains("AuthServer:Oidc:Providers:0:Authority must use https (http only on a loopback address)", refused.Message);
        }
        finally
        {
            TempDirectory.Delete(data);
        }
    }
}
