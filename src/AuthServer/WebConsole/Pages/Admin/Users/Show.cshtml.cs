using AuthServer.Admin.Models;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Core.SignIn;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.WebConsole.Pages.Admin.Users;

/// <summary>One user: role, state, lockout, password, their tokens and sessions, deletion.</summary>
public sealed class UserModel(
    UserService users, LockoutService lockouts, AccessTokenService tokens, RefreshSessionService sessions, AuthServerDbContext db, TimeProvider time)
    : ConsolePage
{
    [BindProperty(SupportsGet = true)]
    public string Name { get; set; } = "";

    public User Account { get; private set; } = null!;
    public IReadOnlyList<string> Groups { get; private set; } = [];
    public IReadOnlyList<AccessTokenView> Tokens { get; private set; } = [];
    public IReadOnlyList<SessionView> Sessions { get; private set; } = [];

    /// <summary>All of the user's open sessions; the page shows the most recently used ones.</summary>
    public int SessionTotal { get; private set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostAdminAsync(bool admin, CancellationToken ct)
    {
        await users.SetAdminAsync(Name, admin, ct);
        return Done(admin ? $"{Name} is now an administrator." : $"{Name} is no longer an administrator.");
    }

    public async Task<IActionResult> OnPostDisableAsync(CancellationToken ct)
    {
        await users.SetDisabledAsync(Name, true, ct);
        return Done($"{Name} was disabled.");
    }

    public async Task<IActionResult> OnPostEnableAsync(CancellationToken ct)
    {
        await users.SetDisabledAsync(Name, false, ct);
        return Done($"{Name} was enabled.");
    }

    public async Task<IActionResult> OnPostUnlockAsync(CancellationToken ct)
    {
        await lockouts.UnlockUserAsync(Name, ct);
        return Done($"Failed sign-ins of {Name} were forgotten.");
    }

    public async Task<IActionResult> OnPostPasswordAsync(string? password, CancellationToken ct)
    {
        await users.SetPasswordAsync(Name, password ?? "", ct);
        return Done($"The password of {Name} was set; the docker logins it started ended.");
    }

    public async Task<IActionResult> OnPostRevokeTokenAsync(string token, CancellationToken ct)
    {
        await tokens.RevokeAsync(Name, token, ct);
        return Done($"Access token {token} of {Name} was revoked.");
    }

    public async Task<IActionResult> OnPostRevokeSessionAsync(long id, CancellationToken ct)
    {
        var view = await sessions.RevokeAsync(id, ct);
        return Done($"Session {view.Id} of {view.Account} was revoked.");
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct)
    {
        await users.DeleteAsync(Name, ct);
        return Done($"User {Name} was deleted.", "/ui/admin/users");
    }

    public override async Task LoadAsync(CancellationToken ct)
    {
        Account = await users.GetAsync(Name, ct);
        var now = time.GetUtcNow().UtcDateTime;
        Groups = await db.GroupMembers.AsNoTracking().Where(m => m.UserId == Account.Id)
            .OrderBy(m => m.Group.NormalizedName).Select(m => m.Group.Name).ToListAsync(ct);
        Tokens = (await tokens.ListAsync(Account.Name, includeRevoked: false, ct)).Select(t => AccessTokenView.From(t, now)).ToArray();
        var open = await sessions.ListAsync(new SessionFilter(User: Account.Name), 0, Paging.DefaultSize, ct);
        (Sessions, SessionTotal) = (open.Items, open.Total);
    }
}
