using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rotor.Host.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AdminEventActor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ActorId",
                table: "rotor_security_events",
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_rotor_security_events_ActorId_Id",
                table: "rotor_security_events",
                columns: new[] { "ActorId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_rotor_security_events_ActorId_Id",
                table: "rotor_security_events");

            migrationBuilder.DropColumn(
                name: "ActorId",
                table: "rotor_security_events");
        }
    }
}
