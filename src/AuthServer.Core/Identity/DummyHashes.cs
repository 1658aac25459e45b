using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Identity;

/// <summary>
/// What an unknown user name is checked against, so that it costs what a known one costs.
/// <para>
/// Stored hashes keep the bcrypt cost they were made at until their user signs in again (then
/// they are rehashed), so after the work factor changes a known name at the old cost answers in
/// a fraction (or a multiple) of the time of one at the new cost. A single dummy cost would tell
/// them apart. So the dummy cost follows the stored ones: each unknown name is given, by a keyed
/// hash of the name, one cost drawn from the mix of costs in the database, and keeps it, just as
/// a real account keeps its hash's cost. Timing an unknown name then looks like timing some
/// existing account.
/// </para>
/// </summary>
public sealed class DummyHashes(IDbContextFactory<AuthServerDbContext> dbs, RevisionMonitor revisions, IOptions<PasswordOptions> options)
    : IDisposable
{
    private static readonly ConcurrentDictionary<int, string> ByCost = new();
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile CostMix? _mix;

    /// <summary>
    /// A syntactically valid bcrypt hash of cost <paramref name="cost"/> that no password matches:
    /// verifying against it runs the full key schedule at that cost.
    /// </summary>
    public static string HashOfCost(int cost) => ByCost.GetOrAdd(cost, c =>
    {
        const string alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var text = new StringBuilder($"$2a${c.ToString("D2", CultureInfo.InvariantCulture)}$");
        // 22 characters of salt, 31 of hash; the last of each from the subset bcrypt's padding allows.
        for (var i = 0; i < 21; i++) text.Append(alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]);
        text.Append('e');
        for (var i = 0; i < 30; i++) text.Append(alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]);
        text.Append('u');
        return text.ToString();
    });

    /// <summary>The bcrypt cost an unknown <paramref name="normalizedName"/> is checked at, the same on every try.</summary>
    public async ValueTask<int> CostForAsync(string normalizedName, CancellationToken ct)
    {
        var mix = await MixAsync(ct);
        if (mix.Total == 0) return options.Value.WorkFactor;
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(normalizedName), mac);
        var pick = (long)(BitConverter.ToUInt64(mac) % (ulong)mix.Total);
        foreach (var (cost, count) in mix.Costs)
        {
            if (pick < count) return cost;
            pick -= count;
        }
        return options.Value.WorkFactor;
    }

    private async ValueTask<CostMix> MixAsync(CancellationToken ct)
    {
        var revision = await revisions.GetAsync(ChangeRevision.Credentials, ct);
        if (_mix is { } mix && (mix.Revision == revision || mix.Fresh)) return mix;
        await _loading.WaitAsync(ct);
        try
        {
            if (_mix is { } again && (again.Revision == revision || again.Fresh)) return again;
            await using var db = await dbs.CreateDbContextAsync(ct);
            // Only the head of each hash: enough for its cost, whatever scheme prefix it has.
            var heads = await db.Users.AsNoTracking().Select(u => u.PasswordHash.Substring(0, 24)).ToListAsync(ct);
            var costs = heads.Select(PasswordHasher.BcryptCost).OfType<int>()
                .GroupBy(c => c).OrderBy(g => g.Key).Select(g => (g.Key, (long)g.Count())).ToArray();
            return _mix = new CostMix(revision, costs, Environment.TickCount64);
        }
        finally
        {
            _loading.Release();
        }
    }

    public void Dispose() => _loading.Dispose();

    /// <summary>The costs of the stored hashes and how many of each, as of a credentials revision.</summary>
    private sealed record CostMix(long Revision, (int Cost, long Count)[] Costs, long LoadedAt)
    {
        public long Total { get; } = Costs.Sum(c => c.Count);

        // Recounted at most once a minute however often users change: the mix moves slowly.
        public bool Fresh => Environment.TickCount64 - LoadedAt < 60_000;
    }
}
