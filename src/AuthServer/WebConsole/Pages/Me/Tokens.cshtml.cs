using AuthServer.Admin.Models;
using AuthServer.Core.Identity;
using AuthServer.Core.Sso;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

// Not "Me": CA1716 keeps namespaces clear of reserved words (VB's Me); the pages still answer under /ui/me.
namespace AuthServer.WebConsole.Pages.Own;

/// <summary>The signed-in user's own access tokens: made here (the secret shown once), listed, revoked.</summary>
public sealed class TokensModel(AccessTokenService tokens, ConsoleRegistry registry, IOptions<OidcOptions> sso, TimeProvider time) : ConsolePage
{
    public static readonly IReadOnlyList<(int Days, string Label)> Expiries =
        [(7, "7 days"), (30, "30 days"), (90, "90 days"), (365, "1 year"), (0, "never")];

    /// <summary>The provider the person signed in through, when SSO: their tokens are their CLI secrets, and run out in time.</summary>
    public OidcProviderOptions? Provider => sso.Value.Providers.FirstOrDefault(p => p.Source == User.FindFirst(ConsoleClaims.Method)?.Value);

    /// <summary>The expiries this person may choose: an SSO user's within their provider's bound.</summary>
    public IReadOnlyList<(int Days, string Label)> AllowedExpiries => Choices(Provider?.MaxAccessTokenLifetime);

    public static IReadOnlyList<(int Days, string Label)> Choices(TimeSpan? max)
    {
        if (max is not { } bound) return Expiries;
        var days = (int)Math.Floor(bound.TotalDays);
        var within = Expiries.Where(e => e.Days > 0 && e.Days <= days).ToList();
        if (within.Count == 0 || within[^1].Days < days) within.Add((days, $"{days} days (the longest allowed)"));
        return within;
    }

    [BindProperty]
    public TokenInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? Filter { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool All { get; set; }

    [BindProperty(SupportsGet = true, Name = Paging.Query)]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<AccessTokenView> Tokens { get; private set; } = [];
    public Paging Paging { get; private set; } = null!;
    public TokenTable Table => new(Tokens, ShowUser: false);
    public NewSecret? Created { get; private set; }

    public Task OnGetAsync(CancellationToken ct)
    {
        // The longest choice allowed when 90 days is not.
        if (AllowedExpiries.All(e => e.Days != Input.ExpiresInDays)) Input.ExpiresInDays = AllowedExpiries[^1].Days;
        return LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var made = await tokens.CreateAsync(AccountName, Input.ToSpec(time.GetUtcNow().UtcDateTime), ct);
        Created = new NewSecret($"Access token {made.Token.Name} was created", made.Secret, AccountName, registry.Address);
        Input = new TokenInput();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeTokenAsync(string token, CancellationToken ct)
    {
        await tokens.RevokeAsync(AccountName, token, ct);
        return Done($"Access token {token} was revoked.");
    }

    public override async Task LoadAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var all = (await tokens.ListAsync(AccountName, All, ct))
            .Where(t => string.IsNullOrWhiteSpace(Filter) || t.Name.Contains(Filter.Trim(), StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(t => t.RevokedAt is null).ThenByDescending(t => t.CreatedAt)
            .Select(t => AccessTokenView.From(t, now)).ToArray();
        (Tokens, Paging) = Paging.Of(all, PageNumber, Request);
    }
}

/// <summary>What the new-token form sends: a name, an expiry in days (0: never) and scope limits one per line.</summary>
public sealed class TokenInput
{
    public string? Name { get; set; }
    public int ExpiresInDays { get; set; } = 90;
    public string? Scopes { get; set; }

    public AccessTokenSpec ToSpec(DateTime now) => new(
        Name?.Trim() ?? "",
        ExpiresInDays > 0 ? now.AddDays(Math.Min(ExpiresInDays, 3650)) : null,
        ScopeLines.Split(Scopes));
}
