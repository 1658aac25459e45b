using System.Text.RegularExpressions;

namespace AuthServer.Tests.Sso;

/// <summary>
/// A real OpenID provider: the npm package oidc-provider (tests/oidc-provider, installed by
/// test.sh with npm ci) run by Debian's node on a loopback port, with one confidential client and
/// fixed accounts (alice, bob, carol, and mallory who claims the name admin). Missing node or
/// packages fail the tests that need it; they never skip.
/// </summary>
public sealed partial class OidcTestProvider : IAsyncDisposable
{
    public const string ClientId = "authserver";
    public const string ClientSecret = "authserver-test-client-secret";

    /// <summary>The kid in the header of every token the provider signs (provider.mjs).</summary>
    public const string SigningKeyId = "test-rsa";

    private readonly BackgroundProcess _process;

    private OidcTestProvider(BackgroundProcess process, string issuer)
    {
        _process = process;
        Issuer = issuer;
    }

    public string Issuer { get; }

    public string Output => _process.Output;

    /// <summary>A free loopback port, for the server's settings before the provider starts (it needs the server's callback).</summary>
    public static int ReservePort() => FreePort.Next();

    public static async Task<OidcTestProvider> StartAsync(string host, int port, params string[] redirectUris)
    {
        var node = Tools.Require("node", "nodejs");
        var folder = Repository.PathOf("tests/oidc-provider");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "oidc-provider")))
            throw new Xunit.Sdk.XunitException($"oidc-provider is not installed: run npm ci in {folder} (./test.sh does); this test does not skip");
        var process = BackgroundProcess.Start("oidc-provider", node, [Path.Combine(folder, "provider.mjs")], new Dictionary<string, string?>
        {
            ["HOST"] = host,
            ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CLIENT_ID"] = ClientId,
            ["CLIENT_SECRET"] = ClientSecret,
            ["REDIRECT_URIS"] = string.Join(',', redirectUris),
        });
        try
        {
            var listening = await process.WaitForOutputAsync(Listening(), TimeSpan.FromSeconds(30));
            return new OidcTestProvider(process, listening.Groups[1].Value);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex(@"^listening (\S+)$")]
    private static partial Regex Listening();
}
