using AuthServer.Admin.Models;
using AuthServer.Core.Identity;
using Microsoft.AspNetCore.Mvc;

namespace AuthServer.WebConsole.Pages.Admin;

public sealed class AdminTokensModel(AccessTokenService tokens, TimeProvider time) : ConsolePage
{
    [BindProperty(SupportsGet = true)]
    public string? Filter { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool All { get; set; }

    [BindProperty(SupportsGet = true, Name = Paging.Query)]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<AccessTokenView> Tokens { get; private set; } = [];
    public Paging Paging { get; private set; } = null!;

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostRevokeTokenAsync(string user, string token, CancellationToken ct)
    {
        await tokens.RevokeAsync(user, token, ct);
        return Done($"Access token {token} of {user} was revoked.");
    }

    public override async Task LoadAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var all = (await tokens.ListAsync(null, All, ct)).Select(t => AccessTokenView.From(t, now))
            .Where(t => string.IsNullOrWhiteSpace(Filter) || t.User.Contains(Filter.Trim(), StringComparison.OrdinalIgnoreCase)
                        || t.Name.Contains(Filter.Trim(), StringComparison.OrdinalIgnoreCase)).ToArray();
        (Tokens, Paging) = Paging.Of(all, PageNumber, Request);
    }
}
