using System.Text.Json;
using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Core.Errors;
using AuthServer.Core.Identity;
using AuthServer.Core.Policy.Explain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.WebConsole.Pages.Admin.Audit;

/// <summary>
/// One audit event. A token request is explained again rule by rule (the same evaluator as
/// /token, for the same account, service, scopes and access token), so a denial shows which
/// rule allowed or denied each action, or that none applied.
/// </summary>
public sealed class AuditEventModel(AuthServerDbContext db, PolicyExplainer explainer) : ConsolePage
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public AuditEvent Event { get; private set; } = null!;
    public string? TokenName { get; private set; }
    public Explanation? Explanation { get; private set; }
    public string? ExplainNote { get; private set; }

    public string DetailsText
    {
        get
        {
            try
            {
                using var json = JsonDocument.Parse(Event.Details ?? "null");
                return JsonSerializer.Serialize(json.RootElement, Indented);
            }
            catch (JsonException)
            {
                return Event.Details ?? "";
            }
        }
    }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public override async Task LoadAsync(CancellationToken ct)
    {
        Event = await db.AuditEvents.AsNoTracking().SingleOrDefaultAsync(e => e.Id == Id, ct)
            ?? throw new NotFoundException("audit event", Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Event.Credential == CredentialKind.AccessToken && Event.CredentialId is { } tokenId)
            TokenName = await db.AccessTokens.AsNoTracking().Where(t => t.Id == tokenId).Select(t => t.Name).SingleOrDefaultAsync(ct);
        if (Event.Type != AuditEventTypes.TokenRequest) return;

        if (Event.Outcome is AuditOutcome.Unauthorized or AuditOutcome.Locked or AuditOutcome.Invalid or AuditOutcome.Limited or AuditOutcome.Busy)
        {
            ExplainNote = $"No rule was asked: the request was refused before that ({Event.Reason ?? Event.Outcome.ToString().ToLowerInvariant()}).";
            return;
        }
        var scopes = (Event.RequestedScopes ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (scopes.Length == 0)
        {
            ExplainNote = "The request asked for no scope (a login check): there was nothing for rules to decide.";
            return;
        }
        try
        {
            Explanation = await explainer.ExplainAsync(new ExplainRequest(Account: Event.Subject, Service: Event.Service, Scopes: scopes, AccessToken: TokenName), ct);
        }
        catch (ValidationFailedException e)
        {
            ExplainNote = $"It cannot be explained again now: {e.Message}.";
        }
    }
}
