using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.WebConsole.Pages;

public sealed class IndexModel(
    AuthServerDbContext db, AccessTokenService tokens, RefreshSessionService sessions, ConsoleRegistry registry, TimeProvider time)
    : ConsolePage
{
    public int ActiveTokens { get; private set; }
    public int ActiveSessions { get; private set; }
    public IReadOnlyList<string> Groups { get; private set; } = [];
    public string Registry => registry.Address;

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public override async Task LoadAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        ActiveTokens = (await tokens.ListAsync(AccountName, includeRevoked: false, ct)).Count(t => !t.IsExpired(now));
        ActiveSessions = (await sessions.ListAsync(new SessionFilter(User: AccountName), 0, 1, ct)).Total;
        var normalized = Names.Normalize(AccountName);
        Groups = await db.GroupMembers.AsNoTracking().Where(m => m.User.NormalizedName == normalized)
            .OrderBy(m => m.Group.NormalizedName).Select(m => m.Group.Name).ToListAsync(ct);
    }
}
