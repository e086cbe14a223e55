"""The demo organisation a newcomer logs into on the embedded default."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from smarterchat.backend.config import get_settings
from smarterchat.backend.db import session_scope
from smarterchat.backend.models import (
    Agent,
    Availability,
    Channel,
    ChannelKind,
    KnowledgeChunk,
    KnowledgeItem,
    KnowledgeKind,
    KnowledgeStatus,
    Membership,
    Organization,
    Role,
    User,
)
from smarterchat.backend.security import passwords

DEMO_SLUG = "demo"
# A public, documented password: the demo is never loaded in production.
DEMO_PASSWORD = "demo-smarterchat"  # noqa: S105
DEMO_PEOPLE = [
    ("admin@demo.smarterchat.app", "Ana Admin", Role.ADMIN),
    ("gerente@demo.smarterchat.app", "Gabriel Gerente", Role.MANAGER),
    ("consultora@demo.smarterchat.app", "Carla Consultora", Role.CONSULTANT),
]
SUPERADMIN_EMAIL = "super@demo.smarterchat.app"
# What the demo agent knows, so the offline AI has real answers to give.
DEMO_FAQ = [
    ("Vocês entregam em todo o Brasil? Qual o prazo de entrega?",
     "Entregamos em todo o Brasil. O prazo é de 2 a 5 dias úteis para capitais e de até 8 dias "
     "úteis para o interior. O frete é grátis em compras acima de R$ 200."),
    ("Qual o horário de atendimento?",
     "Nossa equipe atende de segunda a sexta, das 9h às 18h. Fora desse horário a assistente "
     "virtual responde e uma pessoa continua no próximo dia útil."),
    ("Como faço para trocar ou devolver um produto?",
     "Você pode trocar ou devolver em até 30 dias após o recebimento, com a nota fiscal. "
     "A primeira troca é grátis: é só pedir o código de postagem por aqui."),
    ("Quais as formas de pagamento?",
     "Aceitamos Pix (5% de desconto), cartão de crédito em até 10x sem juros e boleto."),
    ("Os produtos têm garantia?",
     "Todos os produtos têm garantia de 90 dias contra defeitos de fabricação, além da garantia "
     "do fabricante quando houver."),
]


@dataclass(frozen=True)
class DemoInfo:
    created: bool
    logins: list[tuple[str, str]]  # (email, role)
    password: str

    def __str__(self) -> str:
        rows = "\n".join(f"    {email:<36} {role}" for email, role in self.logins)
        return f"Demo organisation logins (password: {self.password}):\n{rows}"


def load_demo() -> DemoInfo:
    """Create the demo organisation once; later calls change nothing."""
    if get_settings().is_production:
        raise RuntimeError("the demo organisation is never loaded in production")
    logins = [(e, r.value) for e, _, r in DEMO_PEOPLE] + [(SUPERADMIN_EMAIL, "super admin")]
    with session_scope() as session:
        if session.exec(select(Organization.id).where(Organization.slug == DEMO_SLUG)).first():
            return DemoInfo(False, logins, DEMO_PASSWORD)
        _create(session)
    return DemoInfo(True, logins, DEMO_PASSWORD)


def _create(session: Session) -> None:
    org = Organization(name="Loja Demonstração", slug=DEMO_SLUG, monthly_ai_budget_cents=5000)
    session.add(org)
    session.flush()
    password_hash = passwords.hash_password(DEMO_PASSWORD)  # one hash, shared: demo only
    for email, name, role in DEMO_PEOPLE:
        user = User(email=email, name=name, password_hash=password_hash)
        session.add(user)
        session.flush()
        session.add(Membership(organization_id=org.id, user_id=user.id, role=role,
                               availability=Availability.OFFLINE))
    session.add(User(email=SUPERADMIN_EMAIL, name="Sofia Super", password_hash=password_hash,
                     is_superadmin=True))
    agent = Agent(
        organization_id=org.id,
        name="Assistente da Loja",
        persona="Atendente simpática da Loja Demonstração.",
        tone="cordial e objetivo",
        greeting="Olá! Sou a assistente virtual da Loja Demonstração. Como posso ajudar?",
        fallback_message="Não tenho certeza sobre isso. Quer falar com uma pessoa da equipe?",
        business_facts="Funcionamos de segunda a sexta, das 9h às 18h. Entregamos em todo o Brasil.",
        rules=["Sempre pergunte o e-mail antes de informar um preço."],
    )
    session.add(agent)
    session.flush()
    session.add(Channel(organization_id=org.id, kind=ChannelKind.WEBCHAT, name="Chat do site",
                        agent_id=agent.id, config={"title": "Fale com a Loja Demo"}))
    for question, answer in DEMO_FAQ:
        item = KnowledgeItem(organization_id=org.id, agent_id=agent.id, kind=KnowledgeKind.FAQ,
                             title=question, content=answer, status=KnowledgeStatus.READY,
                             progress=100)
        session.add(item)
        session.flush()
        session.add(KnowledgeChunk(organization_id=org.id, agent_id=agent.id, item_id=item.id,
                                   text=answer))
