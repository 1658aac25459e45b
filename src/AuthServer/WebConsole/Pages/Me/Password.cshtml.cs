using AuthServer.Core.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AuthServer.WebConsole.Pages.Own;

/// <summary>
/// A local user changes their own password: the current one is checked first, with the same
/// lockout as a sign-in, so a session left open cannot be used to take the account over.
/// </summary>
public sealed class PasswordModel(ConsoleSignIn signIn, UserService users, IOptions<PasswordOptions> passwords) : ConsolePage
{
    public int MinimumLength => passwords.Value.MinimumLength;

    /// <summary>The identity source keeping the password when it is not this server (a directory, an SSO provider).</summary>
    public string? ElsewhereSource { get; private set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(string? current, string? password, string? confirm, CancellationToken ct)
    {
        await LoadAsync(ct);
        if (ElsewhereSource is not null)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
        if (password != confirm)
        {
            ModelState.AddModelError("password", "The two new passwords differ.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var check = await signIn.VerifyPasswordAsync(HttpContext, current, ct);
        if (!check.Succeeded)
        {
            ModelState.AddModelError("current", check.Message == ConsoleSignIn.Refused ? "The current password is wrong." : check.Message!);
            Response.StatusCode = check.RetryAfter is null ? StatusCodes.Status400BadRequest : StatusCodes.Status429TooManyRequests;
            return Page();
        }
        await users.SetPasswordAsync(AccountName, password ?? "", ct);
        await signIn.RenewAsync(HttpContext, await users.GetAsync(AccountName, ct));
        return Done("Your password was changed.");
    }

    public override async Task LoadAsync(CancellationToken ct)
    {
        var account = await users.GetAsync(AccountName, ct);
        ElsewhereSource = account.IsLocal ? null : account.Source;
    }
}
