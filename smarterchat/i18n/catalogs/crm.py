"""The CRM board."""

from __future__ import annotations

from smarterchat.i18n.catalog import Catalog

CATALOG: Catalog = {
    "crm.title": {"pt-BR": "CRM", "en": "CRM"},
    "crm.subtitle": {
        "pt-BR": "Leads identificados nas conversas, por etapa do funil.",
        "en": "Leads found in conversations, by pipeline stage.",
    },
    "crm.empty_title": {"pt-BR": "Nenhum lead ainda", "en": "No leads yet"},
    "crm.empty_body": {
        "pt-BR": "A IA cria um lead quando um cliente demonstra interesse, com nome, contato e temperatura. Eles aparecem aqui, organizados por etapa.",
        "en": "The AI creates a lead when a customer shows interest, with name, contact and temperature. They appear here, organised by stage.",
    },
    "crm.stage_empty": {"pt-BR": "Nenhum lead nesta etapa", "en": "No leads in this stage"},
    "crm.more": {"pt-BR": "e mais {count}", "en": "and {count} more"},
    "crm.default_pipeline": {"pt-BR": "Vendas", "en": "Sales"},
    "crm.default_stage.new": {"pt-BR": "Novo", "en": "New"},
    "crm.default_stage.qualified": {"pt-BR": "Qualificado", "en": "Qualified"},
    "crm.default_stage.proposal": {"pt-BR": "Proposta", "en": "Proposal"},
    "crm.default_stage.negotiation": {"pt-BR": "Negociação", "en": "Negotiation"},
    "crm.default_stage.won": {"pt-BR": "Ganho", "en": "Won"},
    "crm.default_stage.lost": {"pt-BR": "Perdido", "en": "Lost"},
    "crm.default_lost.price": {"pt-BR": "Preço", "en": "Price"},
    "crm.default_lost.competitor": {"pt-BR": "Comprou de um concorrente", "en": "Bought from a competitor"},
    "crm.default_lost.no_reply": {"pt-BR": "Sem resposta", "en": "No reply"},
    "crm.default_lost.not_now": {"pt-BR": "Sem interesse agora", "en": "Not interested now"},
    # Errors the CRM services raise (error.<code>), kept with the CRM's sentences.
    "error.invalid_lead_value": {"pt-BR": "Informe um valor em reais, de zero para cima.", "en": "Enter an amount in reais, zero or more."},
    "error.invalid_lead_field": {"pt-BR": "Este campo não existe no lead.", "en": "Leads have no such field."},
    "error.lead_field_too_long": {"pt-BR": "Use no máximo {max} caracteres.", "en": "Use at most {max} characters."},
    "error.won_needs_value": {"pt-BR": "Para marcar como ganho, informe o valor da venda.", "en": "To mark it won, enter the sale's value."},
    "error.lost_needs_reason": {"pt-BR": "Para marcar como perdido, escolha ou escreva o motivo.", "en": "To mark it lost, pick or write the reason."},
    "error.lost_reason_too_long": {"pt-BR": "O motivo pode ter no máximo {max} caracteres.", "en": "The reason can have at most {max} characters."},
    "error.owner_not_allowed": {"pt-BR": "Você só pode assumir o lead para você ou soltá-lo. Para passá-lo a outra pessoa, peça a um(a) gestor(a).", "en": "You can only take the lead yourself or let it go. Ask a manager to give it to someone else."},
    "error.owner_not_member": {"pt-BR": "Essa pessoa não faz parte da sua empresa ou está desativada.", "en": "That person is not an active member of your company."},
    "error.invalid_note": {"pt-BR": "Escreva uma nota de até {max} caracteres.", "en": "Write a note of up to {max} characters."},
    "error.invalid_pipeline_name": {"pt-BR": "Dê ao funil um nome de 1 a {max} caracteres.", "en": "Give the pipeline a name of 1 to {max} characters."},
    "error.pipeline_exists": {"pt-BR": "Já existe um funil com esse nome.", "en": "There is already a pipeline with that name."},
    "error.invalid_stage_name": {"pt-BR": "Dê à etapa um nome de 1 a {max} caracteres.", "en": "Give the stage a name of 1 to {max} characters."},
    "error.invalid_stage_kind": {"pt-BR": "Escolha se a etapa é aberta, de ganho ou de perda.", "en": "Choose whether the stage is open, won or lost."},
    "error.invalid_stage_color": {"pt-BR": "Escolha uma das cores da lista.", "en": "Pick one of the listed colours."},
    "error.invalid_stale_days": {"pt-BR": "Informe de 1 a {max} dias, ou deixe em branco.", "en": "Enter 1 to {max} days, or leave it empty."},
    "error.stages_mismatch": {"pt-BR": "As etapas mudaram enquanto você editava. Recarregue a página.", "en": "The stages changed while you were editing. Reload the page."},
    "error.stage_has_leads": {"pt-BR": "Esta etapa tem leads. Mova-os para outra etapa antes de excluí-la.", "en": "This stage has leads. Move them to another stage before deleting it."},
    "error.last_stage": {"pt-BR": "Um funil precisa de pelo menos uma etapa.", "en": "A pipeline needs at least one stage."},
    "error.invalid_lost_reason": {"pt-BR": "Escreva um motivo de 1 a {max} caracteres.", "en": "Write a reason of 1 to {max} characters."},
    "error.invalid_distribution_rule": {"pt-BR": "Escolha uma regra de distribuição da lista.", "en": "Pick a distribution rule from the list."},
    "error.invalid_lead_cap": {"pt-BR": "O limite por consultor(a) deve ser um número a partir de 1.", "en": "The per-consultant limit must be a number from 1 up."},
    "error.distribution_needs_team": {"pt-BR": "Escolha a equipe que recebe os leads.", "en": "Choose the team that receives the leads."},
    "error.invalid_page": {"pt-BR": "Não foi possível carregar mais cartões. Recarregue a página.", "en": "More cards could not be loaded. Reload the page."},
    "error.invalid_period": {"pt-BR": "Escolha um período de 1 dia a 10 anos.", "en": "Choose a period from 1 day to 10 years."},
}
