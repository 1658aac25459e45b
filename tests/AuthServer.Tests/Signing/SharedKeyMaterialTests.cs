using System.Net;
using AuthServer.Hosting;
using AuthServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Signing;

/// <summary>
/// Two servers in one process with the same signing key (one data directory): each signs with its
/// own key object, so one stopping (and disposing its keys) leaves the other signing.
/// </summary>
public sealed class SharedKeyMaterialTests
{
    [Fact]
    public async Task A_server_keeps_signing_after_another_in_the_same_process_with_the_same_key_stopped()
    {
        var data = TempDirectory.Create("authserver-shared-key");
        var first = await StartAsync(data);
        var second = await StartAsync(data);
        try
        {
            var before = await TokenAsync(first, "one");
            Assert.Equal(HttpStatusCode.OK, before.Status);
            Assert.Equal(HttpStatusCode.OK, (await TokenAsync(second, "two")).Status);

            await first.StopAsync();
            await first.DisposeAsync();

            // A scope not asked before: a new signature, not a reused token.
            var after = await TokenAsync(second, "three");
            Assert.True(after.Status == HttpStatusCode.OK, after.Text);
            Assert.Equal(before.Token.Header.GetProperty("kid").GetString(), after.Token.Header.GetProperty("kid").GetString());
            Assert.True(after.Token.VerifiesWith(after.Token.Certificate), "the token's signature does not verify");
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
            TempDirectory.Delete(data);
        }
    }

    private static async Task<WebApplication> StartAsync(string data)
    {
        var app = AuthServerHost.Build([], b => b.Configuration.AddInMemoryCollection(BaseSettings(data)));
        await app.Services.GetRequiredService<StartupInitializer>().InitializeAsync(CancellationToken.None);
        await app.StartAsync();
        return app;
    }

    private static HttpClient Client(WebApplication app) => new() { BaseAddress = new Uri(app.Urls.First()) };

    private static async Task<TokenClient.Answer> TokenAsync(WebApplication app, string repository)
    {
        using var http = Client(app);
        return await http.GetTokenAsync($"service={Service}&scope=repository:{repository}:pull");
    }
}
