using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AuthServer.Core.Signing;
using AuthServer.Registry.Auth;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Tests.Signing;

public sealed class CaModeFixture : AuthServerFixture
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["AuthServer:Signing:Mode"] = "Ca";
}

/// <summary>
/// AuthServer:Signing:Mode=Ca on a running server: tokens carry the chain (leaf, then CA), the
/// exported bundle holds the CA alone, and a new key changes neither the bundle nor what a
/// registry given it accepts.
/// </summary>
public sealed class CaModeTests(CaModeFixture server) : IClassFixture<CaModeFixture>
{
    [Fact]
    public async Task Tokens_carry_the_leaf_then_the_ca_and_the_bundle_holds_only_the_ca()
    {
        var x5c = await TokenX5cAsync();
        var bundle = await BundleAsync();

        Assert.Equal(2, x5c.Length);
        var ca = Assert.Single(bundle);
        Assert.Equal(Convert.ToBase64String(ca.RawData), x5c[1]);
        CertificateChain.Verify(x5c, bundle, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task A_new_key_leaves_the_bundle_unchanged_and_its_tokens_verify_against_it()
    {
        var before = await ExportAsync();
        var firstKid = await ActiveKidAsync();

        await WithKeysAsync(keys => keys.AddAsync(null, activate: true, CancellationToken.None));
        var x5c = await TokenX5cAsync();

        Assert.NotEqual(firstKid, await ActiveKidAsync());
        Assert.Equal(before, await ExportAsync());
        using var leaf = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(x5c[0]));
        Assert.Equal(await ActiveKidAsync(), LibtrustKeyId.FromKey(leaf.GetECDsaPublicKey()!));
        CertificateChain.Verify(x5c, await BundleAsync(), DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Keys_ca_list_shows_the_one_active_ca()
    {
        var listed = await InProcessCli.RunAsync(server.DataDirectory, null, "keys", "ca", "list", "--json", "--AuthServer:Signing:Mode=Ca");
        Assert.True(listed.ExitCode == 0, listed.Error);
        var ca = Assert.Single(JsonDocument.Parse(listed.Output).RootElement.EnumerateArray());
        Assert.Equal("active", ca.GetProperty("state").GetString());
        Assert.False(ca.GetProperty("imported").GetBoolean());
    }

    private async Task<string[]> TokenX5cAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/token?service={AuthServerFixture.Service}");
        request.Headers.Authorization = new("Basic", Convert.ToBase64String("admin:admin-password-1"u8.ToArray()));
        using var response = await server.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var header = JsonDocument.Parse(Base64Url(token.Split('.')[0])).RootElement;
        return header.GetProperty("x5c").EnumerateArray().Select(e => e.GetString()!).ToArray();
    }

    private Task<string> ExportAsync() => WithKeysAsync(keys => keys.ExportBundleAsync(CancellationToken.None));

    private async Task<X509Certificate2Collection> BundleAsync()
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(await ExportAsync());
        return collection;
    }

    private async Task<string> ActiveKidAsync() =>
        (await WithKeysAsync(keys => keys.ListAsync(CancellationToken.None))).Single(k => k.State == SigningKeyState.Active).Kid;

    private async Task<T> WithKeysAsync<T>(Func<SigningKeyService, Task<T>> action)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<SigningKeyService>());
    }

    private static byte[] Base64Url(string s) => Convert.FromBase64String(s.Replace('-', '+').Replace('_', '/').PadRight((s.Length + 3) / 4 * 4, '='));
}
