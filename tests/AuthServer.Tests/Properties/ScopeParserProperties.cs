using AuthServer.Core.Scopes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AuthServer.Tests.Properties;

/// <summary>The scope grammar faces the network: any text is parsed or refused with a reason, never a crash.</summary>
public class ScopeParserProperties
{
    [Property(MaxTest = 500)]
    public Property A_scope_written_out_parses_back_to_the_same_scope() =>
        Prop.ForAll(Generators.Scope.ToArbitrary(), text =>
        {
            var scope = ScopeParser.ParseOne(text);
            var again = ScopeParser.ParseOne(scope.ToString());
            return again.Type == scope.Type && again.Name == scope.Name && again.Actions.SequenceEqual(scope.Actions)
                   && scope.Type == ResourceScope.Repository;
        });

    [Property(MaxTest = 1000)]
    public Property Any_text_is_parsed_or_refused_with_a_scope_format_error() =>
        Prop.ForAll(Generators.Hostile.ToArbitrary(), text =>
        {
            try
            {
                return ScopeParser.Parse([text]).All(s => s.Name.Length <= ScopeParser.MaxNameLength);
            }
            catch (ScopeFormatException)
            {
                return true;
            }
        });

    [Property(MaxTest = 300)]
    public Property Several_values_merge_by_resource_and_keep_every_action() =>
        Prop.ForAll(Gen.ArrayOf(Generators.Scope, 3).ToArbitrary(), values =>
        {
            var merged = ScopeParser.Parse(values);
            var singles = values.Select(ScopeParser.ParseOne).ToArray();
            return singles.All(s => merged.Single(m => m.Type == s.Type && m.Name == s.Name).Actions.Intersect(s.Actions).Any()
                                    || s.Actions.Contains("*"));
        });
}
