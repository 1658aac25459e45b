using AuthServer.Core.Identity;
using Microsoft.AspNetCore.Mvc;

namespace AuthServer.WebConsole.Pages.Admin;

public sealed class AdminSessionsModel(RefreshSessionService sessions) : ConsolePage
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
        var view = await sessions.RevokeAsync(id, ct);
        return Done($"Session {view.Id} of {view.Account} was revoked.");
    }

    public override async Task LoadAsync(CancellationToken ct)
    {
        (Sessions, Paging) = await SessionPages.LoadAsync(sessions, new SessionFilter(Text: Filter), PageNumber, Request, ct);
    }
}
