using AuthServer.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthServer.Core.Data.Configurations;

internal sealed class GroupConfiguration : IEntityTypeConfiguration<Group>
{
    public void Configure(EntityTypeBuilder<Group> b)
    {
        b.ToTable("groups");
        b.Property(g => g.Name).HasMaxLength(64);
        b.Property(g => g.NormalizedName).HasMaxLength(64);
        b.HasIndex(g => g.NormalizedName).IsUnique();
        b.Property(g => g.Description).HasMaxLength(500);
    }
}
