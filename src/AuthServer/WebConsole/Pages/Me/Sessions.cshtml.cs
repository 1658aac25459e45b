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
        if (!await sessions.BelongsToUserAsync(id, AccountName, ct)) return NotFound();
        await sessions.RevokeAsync(id, ct);
        return Done($"Session {id} was revoked.");
    }

    public override async Task LoadAsync(CancellationToken ct)
    {
        (Sessions, Paging) = await SessionPages.LoadAsync(sessions, new SessionFilter(User: AccountName, Text: Filter), PageNumber, Request, ct);
    }
}
