using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AuthServer.Interop.Tests.Infrastructure;

namespace AuthServer.Interop.Tests.ScaleOut;

/// <summary>
/// The deployment of deploy/compose.yaml, run as processes (<see cref="ComposeTopology"/>): skopeo
/// signs in and copies images through HAProxy's TLS, a user disabled through one replica is
/// refused by the other within a second, the replicas see the client's own address, and with one
/// replica killed the proxy goes on answering from the other.
/// </summary>
public sealed class ComposeTopologyTests(ComposeTopology topology) : IClassFixture<ComposeTopology>
{
    private static readonly TimeSpan ChangeDeadline = TimeSpan.FromSeconds(1);

    private HttpClient AdminOf(HttpClient http)
    {
        http.DefaultRequestHeaders.Authorization = topology.Admin.Basic;
        return http;
    }

    private static HttpClient Direct(ServerProcess replica) => new() { BaseAddress = replica.BaseAddress };

    private async Task<Account> NewUserAsync(HttpClient admin, string prefix)
    {
        var account = new Account($"{prefix}{Guid.NewGuid():N}"[..(prefix.Length + 8)], $"pw-{Guid.NewGuid():N}");
        using var created = await admin.PostAsJsonAsync("/api/v1/users", new { name = account.Name, password = account.Password });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return account;
    }

    private static async Task<HttpStatusCode> TokenStatusAsync(HttpClient http, Account account)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/token?service=localhost:5443&scope=repository:{account.Name}/app:pull");
        request.Headers.Authorization = account.Basic;
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private Task<ProcessResult> SkopeoAsync(string authFile, string? stdin, params string[] args) =>
        ProcessRunner.RunAsync(Tools.Skopeo, ["--policy", topology.Containers.PolicyFile, .. args], topology.Containers.Environment(authFile), stdin);

    private async Task PushAsync(string authFile, string reference)
    {
        var layout = Path.Combine(topology.Containers.Directory, $"layout-{Guid.NewGuid():N}");
        var source = TestImages.WriteOciLayout(layout, "1", $"{reference} {Guid.NewGuid()}");
        (await SkopeoAsync(authFile, null, "copy", "--dest-cert-dir", topology.CertificateDirectory, source, $"docker://{reference}")).EnsureSuccess();
    }

    private Task<ProcessResult> PullAsync(string authFile, string reference) =>
        SkopeoAsync(authFile, null, "copy", "--src-cert-dir", topology.CertificateDirectory,
            $"docker://{reference}", $"dir:{Path.Combine(topology.Containers.Directory, $"pulled-{Guid.NewGuid():N}")}");

    private async Task<string> LoginAsync(Account account)
    {
        var authFile = topology.Containers.NewAuthFile();
        (await SkopeoAsync(authFile, account.Password, "login", "--cert-dir", topology.CertificateDirectory,
            "--username", account.Name, "--password-stdin", topology.RegistryHost)).EnsureSuccess();
        return authFile;
    }

    [Fact]
    public async Task Skopeo_signs_in_through_the_proxy_and_copies_an_image_to_the_registry_and_back()
    {
        using var admin = AdminOf(topology.ProxyClient());
        var alice = await NewUserAsync(admin, "alice");

        var authFile = await LoginAsync(alice);
        var reference = $"{topology.RegistryHost}/{alice.Name}/app:1";
        await PushAsync(authFile, reference);
        (await PullAsync(authFile, reference)).EnsureSuccess();

        // The registry verified tokens signed by the replicas, issued to alice.
        Assert.Matches($"auth\\.user\\.name=\"?{alice.Name}\\b", topology.Registry.Log);
    }

    [Fact]
    public async Task A_user_disabled_through_one_replica_is_refused_by_the_other_within_a_second()
    {
        using var first = AdminOf(Direct(topology.Replicas[0]));
        using var second = Direct(topology.Replicas[1]);
        var bob = await NewUserAsync(first, "bob");
        var authFile = await LoginAsync(bob);
        var reference = $"{topology.RegistryHost}/{bob.Name}/app:1";
        await PushAsync(authFile, reference);
        // The second replica has bob's password verified and in memory.
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(second, bob));

        using var disabled = await first.PostAsync($"/api/v1/users/{bob.Name}/disable", null);
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        var clock = Stopwatch.StartNew();
        while (await TokenStatusAsync(second, bob) == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
        var seenAfter = clock.Elapsed;

        Assert.Equal(HttpStatusCode.Unauthorized, await TokenStatusAsync(second, bob));
        Assert.True(seenAfter < ChangeDeadline, $"the other replica refused bob only after {seenAfter.TotalMilliseconds:F0} ms");
        // Through the proxy, whichever replica answers.
        using var proxy = topology.ProxyClient();
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenStatusAsync(proxy, bob));
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenStatusAsync(proxy, bob));
        Assert.False((await PullAsync(authFile, reference)).Succeeded, "skopeo still pulls as a disabled user");
    }

    [Fact]
    public async Task The_replicas_record_the_address_the_client_connected_to_the_proxy_from()
    {
        var name = $"nobody{Guid.NewGuid():N}"[..14];
        using (var client = topology.ProxyClient(IPAddress.Parse("127.0.0.5")))
            Assert.Equal(HttpStatusCode.Unauthorized, await TokenStatusAsync(client, new Account(name, "not-a-password")));

        using var admin = AdminOf(topology.ProxyClient());
        string? address = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            var page = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit/events?subject={name}");
            var items = page.GetProperty("items");
            if (items.GetArrayLength() == 0) return false;
            address = items[0].GetProperty("clientAddress").GetString();
            return true;
        }, "audit event of the refused request", seconds: 20);
        Assert.Equal("127.0.0.5", address);
    }

    [Fact]
    public async Task With_one_replica_killed_the_proxy_goes_on_answering_from_the_other()
    {
        using var admin = AdminOf(topology.ProxyClient());
        var carol = await NewUserAsync(admin, "carol");
        var authFile = await LoginAsync(carol);
        var reference = $"{topology.RegistryHost}/{carol.Name}/app:1";
        await PushAsync(authFile, reference);

        await topology.Replicas[1].KillAsync();
        try
        {
            // At once, before HAProxy's checks mark it down: connections it refuses are sent to the other.
            using var proxy = topology.ProxyClient();
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 20; i++) statuses.Add(await TokenStatusAsync(proxy, carol));
            Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
            (await PullAsync(authFile, reference)).EnsureSuccess();
            var dave = await NewUserAsync(admin, "dave");
            Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(proxy, dave));
        }
        finally
        {
            await topology.RestartAsync(1);
        }
    }
}
