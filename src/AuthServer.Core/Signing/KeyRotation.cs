using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Signing;

/// <summary>What one rotation check did.</summary>
public enum RotationStep { None, CreatedNext, Activated }

/// <summary>
/// Scheduled rotation (AuthServer:Signing:RotationInterval): the next key is made a lead time
/// before the active one has signed for an interval, then activated, and the old key stays
/// trusted for the longest token lifetime. Every replica runs the check; the database decides
/// who acts: the step is taken inside a transaction whose first statement writes the
/// signing-keys revision (a write lock on SQLite, a row lock on PostgreSQL), and the state is
/// read again under that lock, so a step another replica already took is not taken twice.
/// </summary>
public sealed class KeyRotation(
    AuthServerDbContext db, SigningKeyService keys, RevisionMonitor revisions, AuditActor actor,
    IOptions<SigningOptions> options, IOptions<TokenOptions> tokens, TimeProvider time, ILogger<KeyRotation> log)
{
    public const string Actor = "system:rotation";

    /// <summary>When the active key hands over, and when its successor is made; null when rotation is off or nothing signs.</summary>
    /// <param name="nextIssuerCreatedAt">When the CA that issued <paramref name="next"/> was made, if a CA did.</param>
    public static RotationSchedule? Schedule(SigningKey? active, SigningKey? next, DateTime? nextIssuerCreatedAt, SigningOptions o, TokenOptions tokens)
    {
        if (o.EffectiveRotationInterval is not { } interval || active?.ActivatedAt is not { } activatedAt) return null;
        var lead = o.EffectiveRotationLeadTime;
        // A key must hand over while its certificate still covers every token it signed.
        var latest = active.NotAfter - o.TrustAfterRetirement(tokens) - TimeSpan.FromHours(1);
        var due = Min(activatedAt + interval, latest);
        var createAt = due - lead;
        // A registry trusts a key once it has what vouches for it: the key's own certificate, or
        // its CA's. Never activate a key whose voucher has been exported for less than the lead
        // time (a self-signed key made late; a CA just made when switching to CA mode).
        if (next is not null)
            due = Max(due, (next.CaId is null ? next.CreatedAt : nextIssuerCreatedAt ?? DateTime.MinValue) + lead);
        return new RotationSchedule(createAt, due);
    }

    /// <summary>Takes the step that is due, if any.</summary>
    public async Task<RotationStep> RunOnceAsync(CancellationToken ct)
    {
        if (options.Value.EffectiveRotationInterval is null) return RotationStep.None;
        if (Due(await ReadAsync(tracking: false, ct)) == RotationStep.None) return RotationStep.None;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.BumpAsync(ChangeRevision.SigningKeys, ct);
        var state = await ReadAsync(tracking: true, ct);
        var step = Due(state);
        if (step == RotationStep.None)
        {
            // Another replica took the step between the first look and the lock.
            await tx.RollbackAsync(ct);
            return step;
        }
        actor.Set(Actor);
        var now = Now;
        if (step == RotationStep.CreatedNext)
        {
            var next = await keys.CreateAsync(options.Value.Algorithm, activate: false, now, ct);
            var issuer = next.CaId is null ? null : await db.SigningCas.Where(c => c.Id == next.CaId).Select(c => (DateTime?)c.CreatedAt).SingleAsync(ct);
            var due = Schedule(state.Active, next, issuer, options.Value, tokens.Value)!.Due;
            await tx.CommitAsync(ct);
            revisions.MarkStale();
            if (next.CaId is null)
                log.LogWarning(
                    "Created the next signing key {Kid}; it signs from {Due:u}. Give every registry the new bundle before then " +
                    "('authserver keys export --bundle FILE', install it and restart the registry), or use AuthServer:Signing:Mode=Ca",
                    next.Kid, due);
            else
                log.LogInformation("Created the next signing key {Kid}, issued by the signing CA; it signs from {Due:u}", next.Kid, due);
        }
        else
        {
            var next = state.Next!;
            await keys.ActivateAsync(next, now, ct);
            await tx.CommitAsync(ct);
            revisions.MarkStale();
            log.LogInformation(
                "Rotated the signing key: {Kid} signs from now on; {Old} is retired and trusted until {Until:u}",
                next.Kid, state.Active!.Kid, now + options.Value.TrustAfterRetirement(tokens.Value));
        }
        return step;
    }

    private RotationStep Due(KeyState state)
    {
        if (Schedule(state.Active, state.Next, state.NextIssuerCreatedAt, options.Value, tokens.Value) is not { } schedule) return RotationStep.None;
        var now = Now;
        if (state.Next is null) return now >= schedule.CreateAt ? RotationStep.CreatedNext : RotationStep.None;
        return now >= schedule.Due ? RotationStep.Activated : RotationStep.None;
    }

    private async Task<KeyState> ReadAsync(bool tracking, CancellationToken ct)
    {
        var query = tracking ? db.SigningKeys : db.SigningKeys.AsNoTracking();
        var current = await query.Where(k => k.State != SigningKeyState.Retired).ToListAsync(ct);
        var active = current.SingleOrDefault(k => k.State == SigningKeyState.Active);
        var next = current.Where(k => k.State == SigningKeyState.Next).OrderByDescending(k => k.Id).FirstOrDefault();
        var issuer = next?.CaId is { } caId ? await db.SigningCas.AsNoTracking().Where(c => c.Id == caId).Select(c => (DateTime?)c.CreatedAt).SingleAsync(ct) : null;
        return new KeyState(active, next, issuer);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private sealed record KeyState(SigningKey? Active, SigningKey? Next, DateTime? NextIssuerCreatedAt);
}

/// <param name="CreateAt">When the next key is made (and published).</param>
/// <param name="Due">When the next key starts signing.</param>
public sealed record RotationSchedule(DateTime CreateAt, DateTime Due);
