using AuthServer.Core.Identity;
using Microsoft.AspNetCore.Mvc;

namespace AuthServer.WebConsole.Pages.Own;

/// <summary>The signed-in user's own refresh sessions; only their own can be revoked here.</summary>
public sealed class SessionsModel(RefreshSessionService sessions) : ConsolePage
{
    [BindProperty(SupportsGet = true)]
    public string? Filter { get; set; }

    [BindProperty(SupportsGet = true, Name = Paging.Query)]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<SessionView> Sessions { get; private set; } = [];
    public Paging Paging { get; private set; } = null!;

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostRevokeSessionAsync(long id, CancellationToken ct)
    {
        // Someone else's session is "not found" here, exactly like one that does not exist.
        var own = await sessions.ListAsync(new SessionFilter(User: AccountName), ct);
        if (own.All(s => s.Id != id)) return NotFound();
        await sessions.RevokeAsync(id, ct);
        return Done($"Session {id} was revoked.");
    }

    public override async Task LoadAsync(CancellationToken ct)
    {
        var mine = (await sessions.ListAsync(new SessionFilter(User: AccountName), ct))
            .Where(s => SessionFilters.Matches(s, Filter)).OrderByDescending(s => s.LastUsedAt).ToArray();
        (Sessions, Paging) = Paging.Of(mine, PageNumber, Request);
    }
}
