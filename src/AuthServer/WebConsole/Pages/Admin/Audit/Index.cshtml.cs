using System.Globalization;
using AuthServer.Core.Audit;
using AuthServer.Core.Errors;
using Microsoft.AspNetCore.Mvc;

namespace AuthServer.WebConsole.Pages.Admin.Audit;

/// <summary>The audit log through the same query as the CLI and the admin API, newest first, a page at a time.</summary>
public sealed class AuditModel(AuditQuery query) : ConsolePage
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Subject { get; set; }
    [BindProperty(SupportsGet = true)] public string? Actor { get; set; }
    [BindProperty(SupportsGet = true)] public string? Outcome { get; set; }
    [BindProperty(SupportsGet = true)] public string? Service { get; set; }
    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    [BindProperty(SupportsGet = true, Name = "from")] public string? FromText { get; set; }
    [BindProperty(SupportsGet = true, Name = "to")] public string? ToText { get; set; }
    [BindProperty(SupportsGet = true)] public long? Before { get; set; }

    public IReadOnlyList<AuditEvent> Events { get; private set; } = [];

    /// <summary>The id to page back from, when there may be older events.</summary>
    public long? Older { get; private set; }

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
        var filter = new AuditFilter(Time(FromText, "from"), Time(ToText, "to"), Blank(Subject), Blank(Actor), AuditFilter.ParseOutcome(Outcome),
            Blank(Service), Blank(Type), Before, PageSize);
        Events = await query.ListAsync(filter, ct);
        Older = Events.Count == PageSize ? Events[^1].Id : null;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>A browser's datetime-local value (no zone), read as UTC like every time the console shows.</summary>
    private static DateTime? Time(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw new ValidationFailedException(field, $"'{text}' is not a date and time");
    }
}
