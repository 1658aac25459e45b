using System.Data.Common;
using System.Net;
using System.Security.Cryptography;
using AuthServer.Core.Identity;
using AuthServer.Core.Signing;
using AuthServer.Hosting;
using AuthServer.Registry;
using AuthServer.Registry.Auth;

namespace AuthServer.Demo;

/// <summary>
/// <c>authserver demo</c>: our token server and the built-in registry in one process on free
/// loopback ports with a throw-away data directory; a demo user; the six steps of the token
/// handshake printed as they happen; then a small image pushed and pulled back, every digest
/// checked. Exit 0 when all of it worked.
/// </summary>
internal static class DemoRun
{
    public const string UserName = "demo";
    public const string Repository = "demo/hello";
    public const string Tag = "v1";
    private const string Service = "registry";
    private const string Issuer = "authserver";

    public static async Task<int> RunAsync(VerificationMode mode, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        var data = Path.Combine(Path.GetTempPath(), $"authserver-demo-{Guid.NewGuid():N}");
        Directory.CreateDirectory(data);
        WebApplication? server = null;
        WebApplication? registry = null;
        try
        {
            server = AuthServerHost.Build([], b => b.Configuration.AddInMemoryCollection(ServerSettings(data)));
            await server.Services.GetRequiredService<StartupInitializer>().InitializeAsync(ct);
            await server.StartAsync(ct);
            var serverUri = new Uri(server.Urls.First());

            var password = Secrets.GeneratePassword();
            var trust = await PrepareAsync(server.Services, data, mode, password, ct);
            registry = RegistryHost.Build(new RegistryOptions
            {
                Realm = new Uri(serverUri, "/token").ToString(),
                Service = Service,
                Issuer = Issuer,
                RootCertBundle = trust.Bundle,
                Jwks = trust.Jwks,
                Mode = mode,
            }, "http://127.0.0.1:0", b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" }));
            await registry.StartAsync(ct);
            var registryUri = new Uri(registry.Urls.First());

            output.WriteLine("AuthServer demo");
            output.WriteLine($"  token server  {serverUri}  (a temporary SQLite database and a new {trust.Algorithm} signing key)");
            output.WriteLine($"  registry      {registryUri}  (the built-in registry, verifying tokens by distribution {mode.Name()} rules)");
            output.WriteLine($"  user          {UserName}, allowed pull, push and delete on {UserName}/** by the default rule");
            output.WriteLine();

            using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };
            await WalkAsync(http, registryUri, password, output);
            return 0;
        }
        catch (DemoFailure e)
        {
            await errors.WriteLineAsync($"demo failed: {e.Message}");
            return Cli.ExitCodes.Refused;
        }
        catch (Exception e) when (e is IOException or HttpRequestException or TaskCanceledException or InvalidOperationException
                                      or DbException or CryptographicException or RegistryConfigurationException
                                      or Microsoft.Extensions.Options.OptionsValidationException)
        {
            await errors.WriteLineAsync($"demo could not run: {e.Message}");
            return Cli.ExitCodes.Failed;
        }
        finally
        {
            if (registry is not null) await registry.DisposeAsync();
            if (server is not null) await server.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                await errors.WriteLineAsync($"note: could not remove {data}");
            }
        }
    }

    private static async Task WalkAsync(HttpClient http, Uri registry, string password, TextWriter output)
    {
        var image = DemoImage.Create();
        Uri At(string pathAndQuery) => new(registry, pathAndQuery);

        output.WriteLine($"The six steps, on the first request of a push to {Repository}:");
        var pusher = new DemoClient(http, UserName, password, output);
        var session = await pusher.SendAsync(new DemoRequest(HttpMethod.Post, At($"/v2/{Repository}/blobs/uploads/")), HttpStatusCode.Accepted, narrate: true);

        output.WriteLine();
        output.WriteLine($"Push {Repository}:{Tag} with that token: the layer as a chunked upload, the config in one request, then the manifest");
        var chunk = await pusher.SendAsync(new DemoRequest(HttpMethod.Patch, Location(session), image.Layer), HttpStatusCode.Accepted);
        await pusher.SendAsync(new DemoRequest(HttpMethod.Put, WithDigest(Location(chunk), image.LayerDigest)), HttpStatusCode.Created);
        await pusher.SendAsync(new DemoRequest(HttpMethod.Post, At($"/v2/{Repository}/blobs/uploads/?digest={image.ConfigDigest}"), image.Config), HttpStatusCode.Created);
        var pushed = await pusher.SendAsync(new DemoRequest(HttpMethod.Put, At($"/v2/{Repository}/manifests/{Tag}"), image.Manifest, DemoImage.ManifestMediaType), HttpStatusCode.Created);
        Expect("the registry's Docker-Content-Digest for the pushed manifest", pushed.Header("Docker-Content-Digest"), image.ManifestDigest);

        output.WriteLine();
        output.WriteLine($"Pull {Repository}:{Tag} with a new client, which starts without a token and gets a pull-only one");
        var puller = new DemoClient(http, UserName, password, output);
        var manifest = await puller.SendAsync(new DemoRequest(HttpMethod.Get, At($"/v2/{Repository}/manifests/{Tag}"), Accept: DemoImage.ManifestMediaType), HttpStatusCode.OK);
        Expect("the pulled manifest's digest", DemoImage.Digest(manifest.Body), image.ManifestDigest);
        Expect("the pulled manifest's Docker-Content-Digest", manifest.Header("Docker-Content-Digest"), image.ManifestDigest);
        var config = await puller.SendAsync(new DemoRequest(HttpMethod.Get, At($"/v2/{Repository}/blobs/{image.ConfigDigest}")), HttpStatusCode.OK);
        Expect("the pulled config's digest", DemoImage.Digest(config.Body), image.ConfigDigest);
        var layer = await puller.SendAsync(new DemoRequest(HttpMethod.Get, At($"/v2/{Repository}/blobs/{image.LayerDigest}")), HttpStatusCode.OK);
        Expect("the pulled layer's digest", DemoImage.Digest(layer.Body), image.LayerDigest);

        output.WriteLine();
        output.WriteLine("Access control: the catalog needs registry:catalog:*, which only administrators are granted");
        await puller.SendAsync(new DemoRequest(HttpMethod.Get, At("/v2/_catalog")), HttpStatusCode.Unauthorized);

        output.WriteLine();
        output.WriteLine($"Demo passed: pushed and pulled {Repository}:{Tag} ({DemoClient.Short(image.ManifestDigest)}); every digest matches.");
    }

    private sealed record Trust(string Bundle, string? Jwks, string Algorithm);

    /// <summary>The demo user, and the files a registry is given to trust our tokens (authserver keys export).</summary>
    private static async Task<Trust> PrepareAsync(IServiceProvider services, string data, VerificationMode mode, string password, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UserService>().CreateAsync(UserName, password, isAdmin: false, ct);
        var keys = scope.ServiceProvider.GetRequiredService<SigningKeyService>();
        var bundle = Path.Combine(data, "bundle.pem");
        await File.WriteAllTextAsync(bundle, await keys.ExportBundleAsync(ct), ct);
        string? jwks = null;
        if (mode == VerificationMode.Distribution3)
        {
            jwks = Path.Combine(data, "jwks.json");
            await File.WriteAllTextAsync(jwks, (await keys.ExportJwksAsync(ct)).ToJson(), ct);
        }
        var algorithm = (await keys.ListAsync(ct)).Single(k => k.State == SigningKeyState.Active).Algorithm;
        return new Trust(bundle, jwks, algorithm);
    }

    private static Dictionary<string, string?> ServerSettings(string data) => new()
    {
        ["Urls"] = "http://127.0.0.1:0",
        ["AuthServer:DataDirectory"] = data,
        // A password of its own, so the first start prints none.
        ["AuthServer:Bootstrap:AdminPassword"] = Secrets.GeneratePassword(),
        ["AuthServer:Tokens:Issuer"] = Issuer,
        ["AuthServer:Tokens:Services:0:Name"] = Service,
        ["Logging:LogLevel:Default"] = "Warning",
    };

    private static Uri Location(DemoAnswer answer) =>
        answer.Headers.Location ?? throw new DemoFailure("the registry's answer has no Location header");

    private static Uri WithDigest(Uri location, string digest) =>
        new UriBuilder(location) { Query = "digest=" + Uri.EscapeDataString(digest) }.Uri;

    private static void Expect(string what, string? actual, string expected)
    {
        if (actual != expected) throw new DemoFailure($"{what} is {actual ?? "missing"}, expected {expected}");
    }
}
