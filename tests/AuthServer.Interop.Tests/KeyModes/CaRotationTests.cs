using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AuthServer.Core.Signing;
using AuthServer.Interop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AuthServer.Interop.Tests.KeyModes;

/// <summary>
/// CA mode with rotation shortened to the minimum (10 s, the next key made 3 s ahead, checked
/// every second): the registry's bundle, exported once at start, holds only the signing CA.
/// </summary>
public sealed class CaRotationFixture : RegistryFixture
{
    public const int IntervalSeconds = 10;

    protected override void ConfigureServer(Dictionary<string, string?> settings)
    {
        settings["AuthServer:Signing:Mode"] = "Ca";
        settings["AuthServer:Signing:RotationInterval"] = $"00:00:{IntervalSeconds}";
        settings["AuthServer:Signing:RotationLeadTime"] = "00:00:03";
        settings["AuthServer:Signing:RotationCheckInterval"] = "00:00:01";
    }
}

/// <summary>
/// The point of CA mode, against the real registry 2.8: several automatic rotations while skopeo
/// pushes and pulls, the registry never restarted nor given a new file, and not one request
/// refused. And the control: a registry whose bundle holds another CA refuses the same tokens.
/// </summary>
public sealed class CaRotationTests(CaRotationFixture fixture, ITestOutputHelper output) : IClassFixture<CaRotationFixture>
{
    private const int Rotations = 3;
    private AuthServerInstance Server => fixture.Server;

    [Fact]
    public async Task Pushes_and_pulls_never_fail_through_several_automatic_rotations()
    {
        var bundle = await File.ReadAllTextAsync(fixture.BundlePath);
        Assert.Single(PemCertificates(bundle));
        var owner = await Server.NewUserAsync("owner");
        await fixture.PushWithSkopeoAsync(owner, $"{owner.Name}/app");
        var tokenMark = Server.Requests.Mark();
        var registryMark = fixture.Registry.Log.Length;

        var results = new List<ProcessResult>();
        var kids = new HashSet<string>();
        using var stop = new CancellationTokenSource();
        async Task LoopAsync(Func<int, Task<ProcessResult>> step)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var result = await step(i);
                lock (results) results.Add(result);
            }
        }
        var pulls = LoopAsync(_ => fixture.Skopeo.PullAsync(fixture.Reference($"{owner.Name}/app"), owner.Creds));
        var pushes = LoopAsync(async i =>
        {
            try
            {
                await fixture.PushWithSkopeoAsync(owner, $"{owner.Name}/app", $"r{i}");
                return new ProcessResult($"push r{i}", 0, "", "");
            }
            catch (Exception e)
            {
                return new ProcessResult($"push r{i}", 1, "", e.Message);
            }
        });

        await Eventually.WaitUntilAsync(async () =>
        {
            kids.Add(JwtParts.Kid(await Server.GetTokenAsync(owner, $"repository:{owner.Name}/app:pull")));
            return (await Server.ListKeysAsync()).Count(k => k.State == "retired") >= Rotations;
        }, $"{Rotations} automatic rotations", CaRotationFixture.IntervalSeconds * (Rotations + 3));
        // A last round of requests signed by the newest key.
        var atEnd = Count(results);
        await Eventually.WaitUntilAsync(() => Task.FromResult(Count(results) >= atEnd + 2), "requests after the last rotation");
        await stop.CancelAsync();
        await Task.WhenAll(pulls, pushes);

        var keys = await Server.ListKeysAsync();
        var registryLog = fixture.Registry.Log[registryMark..];
        var registryRequests = registryLog.Split('\n').Count(l => l.Contains("response completed"));
        output.WriteLine($"rotations: {keys.Count(k => k.State == "retired")}, keys: {keys.Count}, distinct kids seen in tokens: {kids.Count}");
        output.WriteLine($"skopeo operations: {results.Count} ({results.Count(r => r.Command.StartsWith("push", StringComparison.Ordinal))} pushes), " +
                         $"failed: {results.Count(r => !r.Succeeded)}, token requests: {Server.Requests.Mark() - tokenMark}, registry requests: {registryRequests}");

        Assert.All(results, r => r.EnsureSuccess());
        Assert.True(keys.Count(k => k.State == "retired") >= Rotations);
        Assert.True(keys.Count >= Rotations + 1);
        Assert.DoesNotContain("untrusted key", registryLog);
        Assert.DoesNotContain("unable to verify certificate chain", registryLog);
        // Nothing was handed to the registry: its bundle is the file it started with, and a fresh export is the same.
        Assert.Equal(bundle, await File.ReadAllTextAsync(fixture.BundlePath));
        var again = Path.Combine(Path.GetTempPath(), $"bundle-{Guid.NewGuid():N}.pem");
        try
        {
            await Server.ExportKeysAsync(again);
            Assert.Equal(bundle, await File.ReadAllTextAsync(again));
        }
        finally
        {
            File.Delete(again);
        }
    }

    [Fact]
    public async Task A_registry_trusting_another_ca_refuses_the_tokens()
    {
        var owner = await Server.NewUserAsync("owner");
        await fixture.PushWithSkopeoAsync(owner, $"{owner.Name}/app");
        var directory = TempDirectory.Create("interop-other-ca");
        try
        {
            var otherBundle = Path.Combine(directory, "other-ca.pem");
            await File.WriteAllTextAsync(otherBundle, OtherCaPem());
            await using var other = await RegistryProcess.StartAsync(directory, Server.Realm, AuthServerInstance.Service, AuthServerInstance.Issuer, otherBundle);

            // The same repository is not there, but the token is checked before the repository is looked up.
            var refused = await fixture.Skopeo.PullAsync($"{other.Host}/{owner.Name}/app:1", owner.Creds);
            refused.EnsureRefused("unauthorized", "authentication required");
            Assert.Contains("x509: certificate signed by unknown authority", other.Log);
            (await fixture.Skopeo.PullAsync(fixture.Reference($"{owner.Name}/app"), owner.Creds)).EnsureSuccess();
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    private static int Count(List<ProcessResult> results)
    {
        lock (results) return results.Count;
    }

    private static X509Certificate2Collection PemCertificates(string pem)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        return collection;
    }

    private static string OtherCaPem()
    {
        var ca = SigningCaFactory.Create(SigningAlgorithms.ES256, SigningKeyState.Active, new KeyProtector(RandomNumberGenerator.GetBytes(32)), DateTime.UtcNow, 30);
        using var certificate = X509CertificateLoader.LoadCertificate(ca.Certificate);
        return certificate.ExportCertificatePem() + "\n";
    }
}
