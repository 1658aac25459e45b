using AuthServer.Core.Errors;
using AuthServer.Core.Policy;
using AuthServer.Core.Policy.Explain;
using AuthServer.Core.Policy.Lint;
using Microsoft.AspNetCore.Mvc;

namespace AuthServer.WebConsole.Pages.Admin;

/// <summary>
/// The rules with the linter's findings under each, a form for a new rule, and beside them an
/// explain for one account and repository, evaluated afresh on every showing: add or delete a
/// rule and the page comes back with the explain's new answer.
/// </summary>
public sealed class RulesModel(RuleService rules, RuleLintService lint, PolicyExplainer explainer, ConsoleRegistry registry) : ConsolePage
{
    [BindProperty]
    public RuleInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? Filter { get; set; }

    [BindProperty(SupportsGet = true, Name = Paging.Query)]
    public int PageNumber { get; set; } = 1;

    [BindProperty(SupportsGet = true)]
    public string? Account { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Repository { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Service { get; set; }

    [BindProperty(SupportsGet = true)]
    public string[] Actions { get; set; } = [];

    public bool Creating { get; private set; }
    public IReadOnlyList<string> Services => registry.Services;
    public IReadOnlyList<AccessRule> Rules { get; private set; } = [];
    public Paging Paging { get; private set; } = null!;
    public int Errors { get; private set; }
    public int Warnings { get; private set; }
    public Explanation? Explanation { get; private set; }
    public string? ExplainError { get; private set; }
    private ILookup<long, LintFinding> _findings = Array.Empty<LintFinding>().ToLookup(f => f.RuleId);

    /// <summary>The explain's inputs (and the filter), carried by every form so the page comes back with them.</summary>
    public IEnumerable<(string Key, string Value)> ExplainQuery =>
        new[] { ("account", Account), ("token", Token), ("repository", Repository), ("service", Service), ("filter", Filter) }
            .Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => (p.Item1, p.Item2!))
            .Concat(Actions.Select(a => ("actions", a)));

    public IEnumerable<LintFinding> FindingsFor(long id) => _findings[id];

    private string Back => "/ui/admin/rules" + QueryString.Create(ExplainQuery.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)));

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        Creating = true;
        var rule = await rules.CreateAsync(Input.ToSpec(), ct);
        return Done($"Rule {rule.Id} was created.", Back);
    }

    public async Task<IActionResult> OnPostDeleteAsync(long id, CancellationToken ct)
    {
        await rules.DeleteAsync(id, ct);
        return Done($"Rule {id} was deleted.", Back);
    }

    public override async Task LoadAsync(CancellationToken ct)
    {
        var findings = await lint.LintAsync(ct);
        _findings = findings.ToLookup(f => f.RuleId);
        Errors = findings.Count(f => f.Severity == LintSeverity.Error);
        Warnings = findings.Count(f => f.Severity == LintSeverity.Warning);
        var all = (await rules.ListAsync(ct)).Where(Matches).ToArray();
        (Rules, Paging) = Paging.Of(all, PageNumber, Request, size: 50);

        if (Actions.Length == 0) Actions = ["pull", "push"];
        if (string.IsNullOrWhiteSpace(Repository)) return;
        try
        {
            Explanation = await explainer.ExplainAsync(new ExplainRequest(
                Account: string.IsNullOrWhiteSpace(Account) ? null : Account.Trim(), Service: Service ?? (Services.Count > 0 ? Services[0] : null),
                Scopes: [ScopeText.Repository(Repository, Actions)], AccessToken: string.IsNullOrWhiteSpace(Token) ? null : Token.Trim()), ct);
        }
        catch (ValidationFailedException e)
        {
            ExplainError = e.Message;
        }
    }

    private bool Matches(AccessRule r)
    {
        if (string.IsNullOrWhiteSpace(Filter)) return true;
        var needle = Filter.Trim();
        return RuleSubject.Format(r.SubjectKind, r.Subject).Contains(needle, StringComparison.OrdinalIgnoreCase)
               || r.Pattern.Contains(needle, StringComparison.OrdinalIgnoreCase)
               || r.Description?.Contains(needle, StringComparison.OrdinalIgnoreCase) == true;
    }
}

public sealed class RuleInput
{
    public RuleEffect Effect { get; set; } = RuleEffect.Allow;
    public string? Subject { get; set; }
    public string? Pattern { get; set; }
    public string[] Actions { get; set; } = [];
    public string? Service { get; set; }
    public string? Description { get; set; }

    public RuleSpec ToSpec() => new(
        Effect, Subject?.Trim() ?? "", "repository", Pattern?.Trim() ?? "", Actions,
        string.IsNullOrWhiteSpace(Service) ? null : Service, string.IsNullOrWhiteSpace(Description) ? null : Description.Trim());
}
