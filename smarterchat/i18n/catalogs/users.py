"""People and teams."""

from __future__ import annotations

from smarterchat.i18n.catalog import Catalog

CATALOG: Catalog = {
    "users.title": {"pt-BR": "Usuários", "en": "Users"},
    "users.subtitle": {
        "pt-BR": "Pessoas da sua organização e o papel de cada uma.",
        "en": "People in your organisation and the role of each.",
    },
    "users.read_only": {
        "pt-BR": "Você pode ver a equipe; apenas administradores podem fazer alterações.",
        "en": "You can see the team; only admins can make changes.",
    },
    "users.add": {"pt-BR": "Adicionar pessoa", "en": "Add person"},
    "users.name": {"pt-BR": "Nome", "en": "Name"},
    "users.email": {"pt-BR": "E-mail", "en": "Email"},
    "users.role": {"pt-BR": "Papel", "en": "Role"},
    "users.status": {"pt-BR": "Situação", "en": "Status"},
    "users.two_factor": {"pt-BR": "2FA", "en": "2FA"},
    "users.last_login": {"pt-BR": "Último acesso", "en": "Last sign-in"},
    "users.actions": {"pt-BR": "Ações", "en": "Actions"},
    "users.you": {"pt-BR": "você", "en": "you"},
    "users.create_submit": {"pt-BR": "Enviar convite", "en": "Send invitation"},
    "users.change_role": {"pt-BR": "Alterar papel", "en": "Change role"},
    "users.change_role_title": {"pt-BR": "Alterar papel de {name}", "en": "Change {name}'s role"},
    "users.role_changed": {"pt-BR": "Papel atualizado.", "en": "Role updated."},
    "users.deactivate": {"pt-BR": "Desativar", "en": "Deactivate"},
    "users.reactivate": {"pt-BR": "Reativar", "en": "Reactivate"},
    "users.deactivate_title": {"pt-BR": "Desativar {name}?", "en": "Deactivate {name}?"},
    "users.deactivate_body": {
        "pt-BR": "A pessoa sai de todas as sessões agora e não consegue mais entrar nesta organização. Você pode reativá-la depois.",
        "en": "They are signed out of every session now and can no longer enter this organisation. You can reactivate them later.",
    },
    "users.reactivate_title": {"pt-BR": "Reativar {name}?", "en": "Reactivate {name}?"},
    "users.reactivate_body": {
        "pt-BR": "A pessoa volta a poder entrar com o mesmo e-mail e senha.",
        "en": "They can sign in again with the same email and password.",
    },
    "users.deactivated": {"pt-BR": "Acesso desativado.", "en": "Access deactivated."},
    "users.reactivated": {"pt-BR": "Acesso reativado.", "en": "Access reactivated."},
    "users.empty_title": {"pt-BR": "Só você por enquanto", "en": "Just you for now"},
    "users.empty_body": {
        "pt-BR": "Adicione gerentes e consultores para dividir o atendimento.",
        "en": "Add managers and consultants to share the work.",
    },
    "users.teams_title": {"pt-BR": "Equipes", "en": "Teams"},
    "users.teams_help": {
        "pt-BR": "Transfira conversas para uma equipe: a distribuição automática entrega só a quem faz parte dela.",
        "en": "Transfer conversations to a team: automatic distribution gives them only to its members.",
    },
    "users.teams_empty_title": {"pt-BR": "Nenhuma equipe ainda", "en": "No teams yet"},
    "users.teams_empty_body": {
        "pt-BR": "Equipes como Vendas ou Suporte separam quem atende o quê.",
        "en": "Teams such as Sales or Support split who answers what.",
    },
    "users.team_add": {"pt-BR": "Nova equipe", "en": "New team"},
    "users.team_name": {"pt-BR": "Nome da equipe", "en": "Team name"},
    "users.team_name_placeholder": {"pt-BR": "Ex.: Vendas", "en": "E.g. Sales"},
    "users.team_members": {"pt-BR": "Pessoas: {count}", "en": "Members: {count}"},
    "users.team_actions": {"pt-BR": "Ações da equipe", "en": "Team actions"},
    "users.team_rename": {"pt-BR": "Renomear", "en": "Rename"},
    "users.team_rename_title": {"pt-BR": "Renomear a equipe {name}", "en": "Rename team {name}"},
    "users.team_delete": {"pt-BR": "Excluir", "en": "Delete"},
    "users.team_delete_title": {"pt-BR": "Excluir a equipe {name}?", "en": "Delete team {name}?"},
    "users.team_delete_body": {
        "pt-BR": "As pessoas continuam na organização, sem equipe. Conversas aguardando esta equipe voltam para a fila geral.",
        "en": "Its people stay in the organisation, without a team. Conversations waiting for this team go back to the general queue.",
    },
    "users.team_created": {"pt-BR": "Equipe {name} criada.", "en": "Team {name} created."},
    "users.team_renamed": {"pt-BR": "Equipe renomeada.", "en": "Team renamed."},
    "users.team_deleted": {"pt-BR": "Equipe excluída.", "en": "Team deleted."},
    "users.team": {"pt-BR": "Equipe", "en": "Team"},
    "users.no_team": {"pt-BR": "Sem equipe", "en": "No team"},
    "users.team_changed": {"pt-BR": "Equipe de {name} atualizada.", "en": "{name}'s team updated."},
    "role.admin_help": {"pt-BR": "Tudo, inclusive equipe e canais.", "en": "Everything, team and channels included."},
    "role.manager_help": {"pt-BR": "Atende, distribui conversas e vê relatórios.", "en": "Answers, assigns conversations, sees analytics."},
    "role.consultant_help": {"pt-BR": "Atende as conversas e o CRM.", "en": "Answers conversations and works the CRM."},
}
