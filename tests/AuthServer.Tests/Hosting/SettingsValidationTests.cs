using AuthServer.Hosting;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AuthServer.Tests.Hosting;

/// <summary>A wrong setting stops the server at start-up with the setting's name in the message.</summary>
public sealed class SettingsValidationTests : IDisposable
{
    private readonly string _data = TempDirectory.Create("authserver-settings");

    public void Dispose() => TempDirectory.Delete(_data);

    private async Task<string> StartFailureAsync(params (string Key, string? Value)[] overrides)
    {
        var settings = AuthServerFixture.BaseSettings(_data);
        foreach (var (key, value) in overrides) settings[key] = value;
        await using var app = AuthServerHost.Build([], b => b.Configuration.AddInMemoryCollection(settings));
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        return e.Message;
    }

    [Fact]
    public async Task Token_lifetime_under_60_seconds_is_refused()
    {
        var message = await StartFailureAsync(("AuthServer:Tokens:Services:0:TokenLifetimeSeconds", "30"));
        Assert.Contains("AuthServer:Tokens:Services:0:TokenLifetimeSeconds", message);
    }

    [Fact]
    public async Task The_same_service_twice_is_refused()
    {
        var message = await StartFailureAsync(("AuthServer:Tokens:Services:1:Name", AuthServerFixture.Service));
        Assert.Contains("more than once", message);
    }

    [Fact]
    public async Task An_unknown_signing_algorithm_is_refused()
    {
        var message = await StartFailureAsync(("AuthServer:Signing:Algorithm", "HS256"));
        Assert.Contains("ES256 or RS256", message);
    }

    [Fact]
    public async Task A_bcrypt_cost_out_of_range_is_refused()
    {
        var message = await StartFailureAsync(("AuthServer:Passwords:WorkFactor", "3"));
        Assert.Contains("WorkFactor", message);
    }

    [Fact]
    public async Task An_admin_audience_that_is_also_a_registry_service_is_refused()
    {
        // A registry token would then open the admin API.
        var message = await StartFailureAsync(("AuthServer:Admin:Audience", AuthServerFixture.Service));
        Assert.Contains("AuthServer:Admin:Audience", message);
    }

    [Fact]
    public void The_admin_audience_alone_is_no_registry_service()
    {
        var validator = new TokenOptionsValidator(Options.Create(new AuthServer.Admin.AdminOptions()));
        var tokens = new Core.Signing.TokenOptions { Services = [new Core.Signing.ServiceOptions { Name = "authserver-admin" }] };
        var result = validator.Validate(null, tokens);
        Assert.True(result.Failed);
        Assert.Contains("AuthServer:Tokens:Services is empty", result.FailureMessage);
    }
}
