using AuthServer.Core.Data;
using AuthServer.Core.Errors;
using AuthServer.Core.Identity;
using AuthServer.Core.Scopes;
using AuthServer.Core.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Policy.Explain;

/// <summary>
/// Answers "what would this caller get, and why": the very evaluation the token endpoint runs
/// (the same policy snapshot, <see cref="PolicyEvaluator"/> with explain on), for an account an
/// operator names instead of one that signed in.
/// </summary>
public sealed class PolicyExplainer(AuthServerDbContext db, PolicyStore policies, IOptions<TokenOptions> tokens, TimeProvider time)
{
    public async Task<Explanation> ExplainAsync(ExplainRequest request, CancellationToken ct)
    {
        var service = tokens.Value.FindService(request.Service ?? "")
            ?? throw new ValidationFailedException("service", $"service '{request.Service}' is not configured (AuthServer:Tokens:Services)");
        IReadOnlyList<ResourceScope> scopes;
        try
        {
            scopes = ScopeParser.Parse(request.Scopes ?? []);
        }
        catch (ScopeFormatException e)
        {
            throw new ValidationFailedException("scopes", e.Message);
        }
        if (scopes.Count == 0) throw new ValidationFailedException("scopes", "at least one scope is required, e.g. repository:team/app:pull");

        var (principal, kind, refusal, tokenName) = await PrincipalAsync(request, ct);
        var snapshot = await policies.GetAsync(ct);
        var decisions = PolicyEvaluator.Decide(snapshot, principal, service.Name, scopes, explain: true);
        return new Explanation(
            principal.IsAuthenticated ? principal.Name : "", kind, principal.IsAdmin, tokenName, principal.Limits?.ToStrings(), refusal,
            service.Name, decisions.Select(Explain).ToArray());
    }

    private async Task<(Principal, string Kind, string? Refusal, string? Token)> PrincipalAsync(ExplainRequest request, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (string.IsNullOrWhiteSpace(request.Account))
        {
            if (!string.IsNullOrWhiteSpace(request.AccessToken))
                throw new ValidationFailedException("accessToken", "an access token belongs to a user: name the account too");
            return (Principal.Anonymous, "anonymous", null, null);
        }
        var normalized = Names.Normalize(request.Account);
        if (RobotNames.IsRobotLogin(request.Account))
        {
            if (!string.IsNullOrWhiteSpace(request.AccessToken))
                throw new ValidationFailedException("accessToken", "robots have no access tokens");
            var robot = await db.Robots.AsNoTracking().Include(r => r.OwnerUser).SingleOrDefaultAsync(r => r.NormalizedName == normalized, ct)
                ?? throw new ValidationFailedException("account", $"robot '{request.Account}' does not exist");
            return (Principal.ForRobot(robot, CredentialKind.RobotSecret, robot.Id), "robot", robot.Refusal(now), null);
        }
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.NormalizedName == normalized, ct)
            ?? throw new ValidationFailedException("account", $"user '{request.Account}' does not exist");
        var userRefusal = user.IsDisabled ? "user disabled" : user.SourceDenied ? $"refused by its identity source ({user.Source})" : null;
        if (string.IsNullOrWhiteSpace(request.AccessToken)) return (Principal.ForUser(user, CredentialKind.Password), "user", userRefusal, null);

        var tokenName = Names.Normalize(request.AccessToken);
        var token = await db.AccessTokens.AsNoTracking()
            .Where(t => t.UserId == user.Id && t.NormalizedName == tokenName)
            .OrderBy(t => t.RevokedAt != null).ThenByDescending(t => t.Id).FirstOrDefaultAsync(ct)
            ?? throw new ValidationFailedException("accessToken", $"user '{user.Name}' has no access token named '{request.AccessToken}'");
        var principal = Principal.ForUser(user, CredentialKind.AccessToken, token.Id, ScopeLimits.FromStored(token.ScopeLimits));
        return (principal, "user", token.Refusal(now) ?? userRefusal, token.Name);
    }

    private static ScopeExplanation Explain(ScopeDecision decision)
    {
        var requested = decision.Requested;
        var actions = requested.Actions.Contains(ScopeActions.All) && requested.Type == ResourceScope.Repository
            ? requested.Actions.Where(a => a != ScopeActions.All).Union(ScopeActions.RepositoryActions).Order(StringComparer.Ordinal)
            : requested.Actions.AsEnumerable();
        return new ScopeExplanation(
            requested.ToString(), decision.Granted, decision.ByAdmin, actions.Select(a => Verdict(decision, a)).ToArray(), decision.Matches,
            decision.Notes ?? []);
    }

    private static ActionVerdict Verdict(ScopeDecision decision, string action)
    {
        bool Covers(RuleMatch m) => m.Actions.Contains(action) || m.Actions.Contains(ScopeActions.All);
        var allowedBy = decision.Matches.Where(m => m.Effect == RuleEffect.Allow && Covers(m)).Select(m => m.RuleId).Distinct().ToArray();
        var deniedBy = decision.Matches.Where(m => m.Effect == RuleEffect.Deny && Covers(m)).Select(m => m.RuleId).Distinct().ToArray();
        var granted = decision.Granted.Contains(action) || decision.Granted.Contains(ScopeActions.All);
        var withheld = decision.WithheldByCredential?.Contains(action) == true;
        var reason = (granted, withheld) switch
        {
            (true, _) when decision.ByAdmin => "granted: administrators are granted everything their credential's scope limits allow",
            (true, _) => $"granted: allowed by {Rules(allowedBy)}",
            (false, true) when decision.ByAdmin => "withheld by the credential's scope limits (administrators are otherwise granted everything)",
            (false, true) => $"withheld by the credential's scope limits, although allowed by {Rules(allowedBy)}",
            _ when deniedBy.Length > 0 => $"denied by {Rules(deniedBy)}",
            _ => "not granted: no rule allows it",
        };
        return new ActionVerdict(action, granted, reason, allowedBy, deniedBy, withheld);
    }

    private static string Rules(long[] ids) =>
        (ids.Length == 1 ? "rule " : "rules ") + string.Join(", ", ids);
}
