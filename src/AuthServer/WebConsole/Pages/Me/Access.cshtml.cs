using AuthServer.Core.Errors;
using AuthServer.Core.Policy.Explain;
using Microsoft.AspNetCore.Mvc;

namespace AuthServer.WebConsole.Pages.Own;

/// <summary>The signed-in user's own explain: what they would get on a repository, rule by rule.</summary>
public sealed class AccessModel(PolicyExplainer explainer, ConsoleRegistry registry) : ConsolePage
{
    public static readonly string[] AllActions = ["pull", "push", "delete"];

    [BindProperty(SupportsGet = true)]
    public string? Repository { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Service { get; set; }

    [BindProperty(SupportsGet = true)]
    public string[] Actions { get; set; } = [];

    public IReadOnlyList<string> Services => registry.Services;
    public Explanation? Explanation { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        try
        {
            await LoadAsync(ct);
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddModelError(e.Field, e.Message);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
    }

    public override async Task LoadAsync(CancellationToken ct)
    {
        if (Actions.Length == 0) Actions = ["pull", "push"];
        if (string.IsNullOrWhiteSpace(Repository)) return;
        Explanation = await explainer.ExplainAsync(
            new ExplainRequest(Account: AccountName, Service: Service ?? (Services.Count > 0 ? Services[0] : null), Scopes: [ScopeText.Repository(Repository, Actions)]), ct);
    }
}
