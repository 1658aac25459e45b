using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using System.Text.Json;
using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Core.Signing;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Tests.Signing;

/// <summary>CA mode with weekly rotation, on a clock the test moves; the background check runs once at start only.</summary>
public class RotatingCaFixture : AuthServerFixture
{
    public AdjustableClock Clock { get; } = new();

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["AuthServer:Signing:Mode"] = "Ca";
        settings["AuthServer:Signing:RotationInterval"] = "7.00:00:00";
        settings["AuthServer:Signing:RotationCheckInterval"] = "01:00:00";
        settings["AuthServer:Signing:CaCertificateLifetimeDays"] = "60";
    }

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

/// <summary>The same settings on a server of its own, whose clock the expiry test moves by weeks.</summary>
public sealed class ExpiringCaFixture : RotatingCaFixture;

/// <summary>
/// Scheduled rotation: the next key is made a lead time (a day) before the interval ends, by one
/// replica only however many check at once, activated when the interval ends, and the old key's
/// trust ends by the clock after the longest token lifetime, with no further change needed.
/// Each step is audited as the rotation's.
/// </summary>
public sealed class KeyRotationTests(RotatingCaFixture server) : IClassFixture<RotatingCaFixture>
{
    [Fact]
    public async Task A_rotation_runs_on_schedule_once_and_the_old_key_stops_being_trusted_by_the_clock()
    {
        var first = await ActiveAsync();
        Assert.Equal(RotationStep.None, await RunAsync());

        server.Clock.Advance(TimeSpan.FromDays(6) + TimeSpan.FromHours(1));
        // Two replicas checking at once: the database lets one make the next key.
        var steps = await Task.WhenAll(RunAsync(), RunAsync());
        Assert.Equal([RotationStep.None, RotationStep.CreatedNext], steps.Order());
        var next = Assert.Single(await KeysAsync(), k => k.State == SigningKeyState.Next);
        Assert.Equal(first.CaId, next.CaId);
        Assert.Equal(RotationStep.None, await RunAsync());
        Assert.Equal(first.Kid, await TokenKidAsync());

        server.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(RotationStep.Activated, await RunAsync());
        Assert.Equal(RotationStep.None, await RunAsync());
        var keys = await KeysAsync();
        Assert.Equal(SigningKeyState.Active, keys.Single(k => k.Kid == next.Kid).State);
        Assert.Equal(SigningKeyState.Retired, keys.Single(k => k.Kid == first.Kid).State);
        Assert.Equal(next.Kid, await TokenKidAsync());

        var audited = await RotationAuditAsync();
        Assert.Contains((AuditEventTypes.KeyAdd, $"key:{next.Kid}".ToLowerInvariant()), audited);
        Assert.Contains((AuditEventTypes.KeyActivate, $"key:{next.Kid}".ToLowerInvariant()), audited);
        Assert.Contains((AuditEventTypes.KeyRetire, $"key:{first.Kid}".ToLowerInvariant()), audited);

        // Retired, still trusted while tokens it signed may live; then no longer, with no change in between.
        Assert.Contains(first.Kid, await JwksKidsAsync());
        server.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        Assert.DoesNotContain(first.Kid, await JwksKidsAsync());
        Assert.Contains(next.Kid, await JwksKidsAsync());

        var status = await StatusAsync();
        Assert.Equal(next.Kid, status.ActiveKey!.Kid);
        Assert.Equal((await ActiveAsync()).ActivatedAt!.Value.AddDays(7), status.NextRotationAt);
        Assert.DoesNotContain(status.Findings, f => f.Severity == "error");
    }

    private async Task<RotationStep> RunAsync()
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<KeyRotation>().RunOnceAsync(CancellationToken.None);
    }

    private async Task<IReadOnlyList<SigningKey>> KeysAsync()
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SigningKeyService>().ListAsync(CancellationToken.None);
    }

    private async Task<SigningKey> ActiveAsync() => (await KeysAsync()).Single(k => k.State == SigningKeyState.Active);

    private async Task<SigningStatus> StatusAsync()
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SigningStatusService>().GetAsync(CancellationToken.None);
    }

    private async Task<List<(string Type, string Subject)>> RotationAuditAsync()
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthServerDbContext>();
        return (await db.AuditEvents.AsNoTracking().Where(e => e.Actor == KeyRotation.Actor).Select(e => new { e.Type, e.Subject }).ToListAsync())
            .Select(e => (e.Type, e.Subject ?? "")).ToList();
    }

    private async Task<List<string>> JwksKidsAsync()
    {
        var jwks = await server.Http.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");
        return jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).ToList();
    }

    private async Task<string> TokenKidAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/token?service={AuthServerFixture.Service}");
        request.Headers.Authorization = new("Basic", Convert.ToBase64String("admin:admin-password-1"u8.ToArray()));
        using var response = await server.Http.SendAsync(request);
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var header = token.Split('.')[0].Replace('-', '+').Replace('_', '/');
        return JsonDocument.Parse(Convert.FromBase64String(header.PadRight((header.Length + 3) / 4 * 4, '='))).RootElement.GetProperty("kid").GetString()!;
    }
}

/// <summary>The CA's remaining validity in the status, the metrics, the log (a warning at 30 days) and doctor.</summary>
public sealed class SigningExpiryTests(ExpiringCaFixture server) : IClassFixture<ExpiringCaFixture>
{
    [Fact]
    public async Task The_cas_remaining_validity_is_reported_and_warned_about_at_30_days()
    {
        var expiry = server.Services.GetRequiredService<SigningExpiry>();
        await expiry.CheckAsync(CancellationToken.None);
        var caSeconds = Measure().Single(m => m.Certificate == "ca").Value;
        var ca = (await StatusAsync()).Ca!;
        Assert.InRange(caSeconds, (ca.NotAfter - server.Clock.GetUtcNow().UtcDateTime).TotalSeconds - 60, (ca.NotAfter - server.Clock.GetUtcNow().UtcDateTime).TotalSeconds + 1);

        server.Clock.Advance(ca.NotAfter - server.Clock.GetUtcNow().UtcDateTime - TimeSpan.FromDays(29));
        await expiry.CheckAsync(CancellationToken.None);

        Assert.Contains((await StatusAsync()).Findings, f => f.Severity == "warning" && f.Message.Contains("signing CA's certificate"));
        Assert.Contains(server.Logs.Lines, l => l.Contains("signing CA's certificate") && l.Contains("expires on"));
        Assert.InRange(Measure().Single(m => m.Certificate == "ca").Value, TimeSpan.FromDays(28).TotalSeconds, TimeSpan.FromDays(29).TotalSeconds + 1);
        var doctor = await InProcessCli.RunAsync(server.DataDirectory, null, "doctor", "--AuthServer:Signing:Mode=Ca");
        Assert.Contains("signing CA", doctor.Output);
    }

    private List<(string Certificate, double Value)> Measure()
    {
        var measured = new List<(string, double)>();
        // This server's meter: other fixtures in the process have their own.
        var factory = server.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == "authserver_signing_certificate_expiry_seconds") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags) if (tag.Key == "certificate") measured.Add(((string)tag.Value!, value));
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return measured;
    }

    private async Task<SigningStatus> StatusAsync()
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SigningStatusService>().GetAsync(CancellationToken.None);
    }
}
