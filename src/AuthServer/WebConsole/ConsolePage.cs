using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AuthServer.WebConsole;

/// <summary>
/// A console page: a handler that changes something either redirects back with a notice (so a
/// reload never repeats it) or, when a domain service refuses, the page is shown again with the
/// refusal beside the form and the person's input kept (<see cref="ConsoleErrors"/>).
/// </summary>
public abstract class ConsolePage : PageModel
{
    /// <summary>One line saying what the last change did, shown once after the redirect.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>Reads what the page shows; called for GET and again before showing a refused form.</summary>
    public abstract Task LoadAsync(CancellationToken ct);

    public string AccountName => User.AccountName();

    protected RedirectResult Done(string notice, string? to = null)
    {
        Notice = notice;
        // Back to the page as it was shown (its filters and explain kept), without the form's handler.
        var query = Request.Query.Where(q => !string.Equals(q.Key, "handler", StringComparison.OrdinalIgnoreCase))
            .SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v)));
        return Redirect(to ?? Request.Path + QueryString.Create(query));
    }
}
